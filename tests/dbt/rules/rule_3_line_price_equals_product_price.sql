{#-
    Rule 3, prices: an order line's unit_price is the product's unit_price, exactly.

    Failing rows: the line and both prices.
-#}

with

order_item as (

    select
        order_item_id,
        product_id,
        unit_price
    from {{ ref('order_item') }}

),

product as (

    select
        product_id,
        unit_price
    from {{ ref('product') }}

)

select
    order_item.order_item_id,
    order_item.product_id,
    order_item.unit_price as line_unit_price,
    product.unit_price as product_unit_price
from order_item
inner join product
    on order_item.product_id = product.product_id
where order_item.unit_price <> product.unit_price
