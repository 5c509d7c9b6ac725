{#-
    Rule 5, sums, exactly to the cent:
    line_total = quantity * unit_price - discount_amount on every line; and on every order
    subtotal_amount = sum(quantity * unit_price), discount_amount = sum of line discounts,
    total_amount = subtotal_amount - discount_amount + shipping_fee. The order sums are checked
    on orders that have lines: an order without any line is rule 8's failure, reported there
    once (the orders table also refuses a subtotal of 0 by a check constraint).

    Failing rows: failed_check, order_id, order_item_id (lines only), actual and expected.
-#}

with

orders as (

    select
        order_id,
        subtotal_amount,
        discount_amount,
        shipping_fee,
        total_amount
    from {{ ref('orders') }}

),

order_item as (

    select
        order_item_id,
        order_id,
        quantity,
        unit_price,
        discount_amount,
        line_total
    from {{ ref('order_item') }}

),

line_sums as (

    select
        order_id,
        sum(quantity * unit_price) as lines_subtotal,
        sum(discount_amount) as lines_discount
    from order_item
    group by order_id

),

order_vs_lines as (

    select
        orders.*,
        line_sums.lines_subtotal,
        line_sums.lines_discount
    from orders
    inner join line_sums
        on orders.order_id = line_sums.order_id

),

line_total_wrong as (

    select
        'line_total_not_quantity_x_price_minus_discount' as failed_check,
        order_id,
        order_item_id,
        line_total as actual_amount,
        quantity * unit_price - discount_amount as expected_amount
    from order_item
    where line_total <> quantity * unit_price - discount_amount

),

subtotal_wrong as (

    select
        'order_subtotal_not_sum_of_lines' as failed_check,
        order_id,
        cast(null as {{ dbt.type_bigint() }}) as order_item_id,
        subtotal_amount as actual_amount,
        lines_subtotal as expected_amount
    from order_vs_lines
    where subtotal_amount <> lines_subtotal

),

discount_wrong as (

    select
        'order_discount_not_sum_of_line_discounts' as failed_check,
        order_id,
        cast(null as {{ dbt.type_bigint() }}) as order_item_id,
        discount_amount as actual_amount,
        lines_discount as expected_amount
    from order_vs_lines
    where discount_amount <> lines_discount

),

total_wrong as (

    select
        'order_total_not_subtotal_minus_discount_plus_shipping' as failed_check,
        order_id,
        cast(null as {{ dbt.type_bigint() }}) as order_item_id,
        total_amount as actual_amount,
        subtotal_amount - discount_amount + shipping_fee as expected_amount
    from orders
    where total_amount <> subtotal_amount - discount_amount + shipping_fee

)

select * from line_total_wrong
union all
select * from subtotal_wrong
union all
select * from discount_wrong
union all
select * from total_wrong
