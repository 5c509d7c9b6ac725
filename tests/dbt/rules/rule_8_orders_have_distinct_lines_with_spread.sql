{#-
    Rule 8, shape: every order has at least one line; the lines of one order are distinct
    products; lines per order vary (a spread, not a constant). The average is order_item /
    orders by construction (exact row counts are asserted by row_count_equals_expected).

    The spread check only applies when a spread is possible: with as many lines as orders
    (e.g. --rows order_item=N orders=N) every order has exactly one line, legitimately.

    Failing rows: failed_check, order_id, product_id, line count.
-#}

with

orders as (

    select order_id
    from {{ ref('orders') }}

),

order_item as (

    select
        order_id,
        product_id
    from {{ ref('order_item') }}

),

lines_per_order as (

    select
        order_id,
        count(*) as line_count
    from order_item
    group by order_id

),

spread as (

    select
        count(*) as orders_with_lines,
        sum(line_count) as line_rows,
        min(line_count) as min_lines,
        max(line_count) as max_lines
    from lines_per_order

),

order_without_lines as (

    select
        'order_without_lines' as failed_check,
        orders.order_id,
        cast(null as {{ dbt.type_int() }}) as product_id,
        0 as line_count
    from orders
    where not exists (
        select 1
        from order_item
        where order_item.order_id = orders.order_id
    )

),

product_twice_in_order as (

    select
        'product_twice_in_one_order' as failed_check,
        order_id,
        product_id,
        count(*) as line_count
    from order_item
    group by order_id, product_id
    having count(*) > 1

),

constant_lines_per_order as (

    select
        'lines_per_order_constant' as failed_check,
        cast(null as {{ dbt.type_bigint() }}) as order_id,
        cast(null as {{ dbt.type_int() }}) as product_id,
        min_lines as line_count
    from spread
    where orders_with_lines >= 2
        and line_rows > orders_with_lines
        and min_lines = max_lines

)

select * from order_without_lines
union all
select * from product_twice_in_order
union all
select * from constant_lines_per_order
