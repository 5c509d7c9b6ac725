{#-
    Rule 7, inventory: a product's stock_quantity is what is left on hand after every
    non-cancelled order, i.e. received_quantity (units ever received, a column the project
    adds for this check) minus the quantity on lines of orders that are not cancelled
    (returned goods count as sold: they are not resold), and it is never negative.

    Failing rows: failed_check, product_id, stock, received, sold.
-#}

with

product as (

    select
        product_id,
        stock_quantity,
        received_quantity
    from {{ ref('product') }}

),

orders as (

    select
        order_id,
        status
    from {{ ref('orders') }}

),

order_item as (

    select
        order_id,
        product_id,
        quantity
    from {{ ref('order_item') }}

),

sold as (

    select
        order_item.product_id,
        sum(order_item.quantity) as sold_quantity
    from order_item
    inner join orders
        on order_item.order_id = orders.order_id
    where orders.status <> 'cancelled'
    group by order_item.product_id

),

stock as (

    select
        product.product_id,
        product.stock_quantity,
        product.received_quantity,
        coalesce(sold.sold_quantity, 0) as sold_quantity
    from product
    left join sold
        on product.product_id = sold.product_id

)

select
    'stock_negative' as failed_check,
    stock.*
from stock
where stock_quantity < 0

union all

select
    'stock_not_received_minus_sold' as failed_check,
    stock.*
from stock
where stock_quantity <> received_quantity - sold_quantity
