{% snapshot product_stock_history %}

select
    product_id,
    stock_quantity,
    received_quantity,
    updated_at
from {{ ref('product') }}

{% endsnapshot %}
