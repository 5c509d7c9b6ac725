{#-
    Rule 6, time:
    - a customer signs up before each of their orders;
    - a product is created before any order that contains it;
    - a seller joins before each of its products is created;
    - an order's timestamps are ordered, ordered_at <= paid_at <= shipped_at <= delivered_at
      <= returned_at, and each is set exactly when the status has reached that step: pending
      none; paid paid_at; shipped paid_at and shipped_at; delivered those and delivered_at;
      returned all four; cancelled cancelled_at, after ordered_at (and after paid_at when it
      was paid first), and neither shipped_at, delivered_at nor returned_at; cancelled_at is
      set for cancelled orders only;
    - updated_at is the latest timestamp the row carries: an order's last step (ordered_at
      while pending); a product's last stock change, never before its created_at.

    "Before" is strict for the three entity checks (an order at the very second of the signup
    is not before it).

    Failing rows: failed_check, entity_id (order, product or line id), both instants compared.
-#}

with

customer as (

    select
        customer_id,
        signed_up_at
    from {{ ref('customer') }}

),

seller as (

    select
        seller_id,
        joined_at
    from {{ ref('seller') }}

),

product as (

    select
        product_id,
        seller_id,
        created_at,
        updated_at
    from {{ ref('product') }}

),

orders as (

    select
        order_id,
        customer_id,
        ordered_at,
        status,
        paid_at,
        shipped_at,
        delivered_at,
        cancelled_at,
        returned_at,
        updated_at
    from {{ ref('orders') }}

),

order_item as (

    select
        order_item_id,
        order_id,
        product_id
    from {{ ref('order_item') }}

),

-- which timestamps a status requires (1), forbids (0) or leaves open (null)
expected_steps as (

    select
        orders.*,
        case
            when status = 'pending' then 0
            when status = 'cancelled' then null
            else 1
        end as needs_paid_at,
        case
            when status in ('shipped', 'delivered', 'returned') then 1
            else 0
        end as needs_shipped_at,
        case
            when status in ('delivered', 'returned') then 1
            else 0
        end as needs_delivered_at,
        case
            when status = 'returned' then 1
            else 0
        end as needs_returned_at,
        case
            when status = 'cancelled' then 1
            else 0
        end as needs_cancelled_at,
        -- the last step the row carries: cancelled_at comes after paid_at, returned_at after the rest
        coalesce(returned_at, cancelled_at, delivered_at, shipped_at, paid_at, ordered_at) as last_step_at
    from orders

),

order_before_signup as (

    select
        'order_not_after_customer_signup' as failed_check,
        orders.order_id as entity_id,
        customer.signed_up_at as earlier_at,
        orders.ordered_at as later_at
    from orders
    inner join customer
        on orders.customer_id = customer.customer_id
    where orders.ordered_at <= customer.signed_up_at

),

ordered_before_product_created as (

    select
        'product_ordered_before_created' as failed_check,
        order_item.order_item_id as entity_id,
        product.created_at as earlier_at,
        orders.ordered_at as later_at
    from order_item
    inner join orders
        on order_item.order_id = orders.order_id
    inner join product
        on order_item.product_id = product.product_id
    where orders.ordered_at <= product.created_at

),

product_before_seller_joined as (

    select
        'product_not_after_seller_joined' as failed_check,
        product.product_id as entity_id,
        seller.joined_at as earlier_at,
        product.created_at as later_at
    from product
    inner join seller
        on product.seller_id = seller.seller_id
    where product.created_at <= seller.joined_at

),

paid_before_ordered as (

    select
        'paid_at_before_ordered_at' as failed_check,
        order_id as entity_id,
        ordered_at as earlier_at,
        paid_at as later_at
    from orders
    where paid_at < ordered_at

),

shipped_before_paid as (

    select
        'shipped_at_before_paid_at' as failed_check,
        order_id as entity_id,
        paid_at as earlier_at,
        shipped_at as later_at
    from orders
    where shipped_at < paid_at

),

delivered_before_shipped as (

    select
        'delivered_at_before_shipped_at' as failed_check,
        order_id as entity_id,
        shipped_at as earlier_at,
        delivered_at as later_at
    from orders
    where delivered_at < shipped_at

),

returned_before_delivered as (

    select
        'returned_at_before_delivered_at' as failed_check,
        order_id as entity_id,
        delivered_at as earlier_at,
        returned_at as later_at
    from orders
    where returned_at < delivered_at

),

cancelled_not_after_ordered as (

    select
        'cancelled_at_not_after_ordered_at' as failed_check,
        order_id as entity_id,
        ordered_at as earlier_at,
        cancelled_at as later_at
    from orders
    where cancelled_at <= ordered_at

),

cancelled_not_after_paid as (

    select
        'cancelled_at_not_after_paid_at' as failed_check,
        order_id as entity_id,
        paid_at as earlier_at,
        cancelled_at as later_at
    from orders
    where cancelled_at <= paid_at

),

order_updated_at_not_last_step as (

    select
        'order_updated_at_is_not_its_last_step' as failed_check,
        order_id as entity_id,
        last_step_at as earlier_at,
        updated_at as later_at
    from expected_steps
    where updated_at <> last_step_at

),

product_updated_before_created as (

    select
        'product_updated_at_before_created_at' as failed_check,
        product_id as entity_id,
        created_at as earlier_at,
        updated_at as later_at
    from product
    where updated_at < created_at

),

steps_not_matching_status as (

    select
        {{ dbt.concat(["'timestamps_do_not_match_status_'", 'status']) }} as failed_check,
        order_id as entity_id,
        ordered_at as earlier_at,
        coalesce(returned_at, cancelled_at, delivered_at, shipped_at, paid_at) as later_at
    from expected_steps
    where (needs_paid_at = 1 and paid_at is null)
        or (needs_paid_at = 0 and paid_at is not null)
        or (needs_shipped_at = 1 and shipped_at is null)
        or (needs_shipped_at = 0 and shipped_at is not null)
        or (needs_delivered_at = 1 and delivered_at is null)
        or (needs_delivered_at = 0 and delivered_at is not null)
        or (needs_returned_at = 1 and returned_at is null)
        or (needs_returned_at = 0 and returned_at is not null)
        or (needs_cancelled_at = 1 and cancelled_at is null)
        or (needs_cancelled_at = 0 and cancelled_at is not null)

)

select * from order_before_signup
union all
select * from ordered_before_product_created
union all
select * from product_before_seller_joined
union all
select * from paid_before_ordered
union all
select * from shipped_before_paid
union all
select * from delivered_before_shipped
union all
select * from returned_before_delivered
union all
select * from cancelled_not_after_ordered
union all
select * from cancelled_not_after_paid
union all
select * from order_updated_at_not_last_step
union all
select * from product_updated_before_created
union all
select * from steps_not_matching_status
