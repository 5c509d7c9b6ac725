{% snapshot order_status_history %}

select
    order_id,
    status,
    ordered_at,
    paid_at,
    shipped_at,
    delivered_at,
    cancelled_at,
    returned_at,
    updated_at
from {{ ref('orders') }}

{% endsnapshot %}
