{#-
    Fails on every row of the model whose `column_name` differs from the sum of
    `child_expression` over the rows of `child_model` that share its key (`key`, or
    `child_key` when the child names it differently). A row without children must hold 0.
    Exact comparison: meant for decimal money columns, to the cent.

    Example, on orders.subtotal_amount:
      - sums_match: {child_model: ref('order_item'), key: order_id,
                     child_expression: "quantity * unit_price"}
-#}
{% test sums_match(model, column_name, child_model, key, child_expression, child_key=none) %}

with

parents as (

    select
        {{ key }} as parent_key,
        {{ column_name }} as parent_value
    from {{ model }}

),

children as (

    select
        {{ child_key or key }} as parent_key,
        sum({{ child_expression }}) as child_sum
    from {{ child_model }}
    group by {{ child_key or key }}

),

compared as (

    select
        parents.parent_key,
        parents.parent_value,
        coalesce(children.child_sum, 0) as child_sum
    from parents
    left join children
        on parents.parent_key = children.parent_key

)

select *
from compared
where parent_value is null
    or parent_value <> child_sum

{% endtest %}
