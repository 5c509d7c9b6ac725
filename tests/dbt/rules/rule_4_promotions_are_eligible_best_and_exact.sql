{#-
    Rule 4, promotions, re-derived from scratch for every order line:
    - a line carries a promotion only if the promotion covers the product (promotion_product)
      and the order's date lies within [starts_on, ends_on];
    - when promotions apply, the line carries the one giving the largest discount, ties going
      to the lowest promotion_id; when none applies, the line carries none;
    - the discount is, to the cent: percentage -> round(quantity * unit_price * value / 100, 2)
      (half away from zero), fixed_amount -> quantity * least(value, unit_price); a line
      without promotion has discount 0.

    All arithmetic stays in exact decimals: `* 0.01` instead of `/ 100`, because some engines
    (DuckDB) turn a decimal division into a float. `least` is written as `case` because SQL
    Server before 2022 lacks it.

    Failing rows: failed_check, the line, the promotion it carries and the one it should carry,
    its discount and the re-derived one.
-#}

with

order_item as (

    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        promotion_id,
        discount_amount
    from {{ ref('order_item') }}

),

orders as (

    select
        order_id,
        ordered_at
    from {{ ref('orders') }}

),

promotion as (

    select
        promotion_id,
        discount_type,
        discount_value,
        starts_on,
        ends_on
    from {{ ref('promotion') }}

),

promotion_product as (

    select
        promotion_id,
        product_id
    from {{ ref('promotion_product') }}

),

order_lines as (

    select
        order_item.*,
        cast(orders.ordered_at as date) as ordered_on
    from order_item
    inner join orders
        on order_item.order_id = orders.order_id

),

-- every promotion that applies to a line, with the discount it would give
candidates as (

    select
        order_lines.order_item_id,
        promotion.promotion_id,
        case promotion.discount_type
            when 'percentage'
                then round(order_lines.quantity * order_lines.unit_price * promotion.discount_value * 0.01, 2)
            when 'fixed_amount'
                then order_lines.quantity * case
                    when promotion.discount_value < order_lines.unit_price then promotion.discount_value
                    else order_lines.unit_price
                end
        end as candidate_discount
    from order_lines
    inner join promotion_product
        on order_lines.product_id = promotion_product.product_id
    inner join promotion
        on promotion_product.promotion_id = promotion.promotion_id
    where order_lines.ordered_on >= promotion.starts_on
        and order_lines.ordered_on <= promotion.ends_on

),

ranked as (

    select
        order_item_id,
        promotion_id,
        candidate_discount,
        row_number() over (
            partition by order_item_id
            order by candidate_discount desc, promotion_id asc
        ) as discount_rank
    from candidates

),

best as (

    select
        order_item_id,
        promotion_id,
        candidate_discount
    from ranked
    where discount_rank = 1

),

judged as (

    select
        order_lines.order_item_id,
        order_lines.promotion_id as carried_promotion_id,
        best.promotion_id as best_promotion_id,
        order_lines.discount_amount,
        coalesce(carried.candidate_discount, 0) as expected_discount,
        case
            when order_lines.promotion_id is not null and carried.promotion_id is null then 1
            else 0
        end as is_ineligible
    from order_lines
    left join best
        on order_lines.order_item_id = best.order_item_id
    left join candidates as carried
        on order_lines.order_item_id = carried.order_item_id
        and order_lines.promotion_id = carried.promotion_id

),

failures as (

    select
        'promotion_not_eligible' as failed_check,
        judged.*
    from judged
    where is_ineligible = 1

    union all

    select
        'not_the_best_promotion' as failed_check,
        judged.*
    from judged
    where coalesce(carried_promotion_id, -1) <> coalesce(best_promotion_id, -1)

    union all

    select
        'discount_not_rederived_to_the_cent' as failed_check,
        judged.*
    from judged
    where discount_amount <> expected_discount

)

select * from failures
