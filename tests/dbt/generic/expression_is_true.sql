{#-
    Fails on every row of the model for which `expression` is not true (false or null).
    Example: `- expression_is_true: {expression: "cost_price < unit_price"}`.
    Use the standard `where` config to restrict the rows checked. Written with `case` so that
    it also runs where a predicate is not a value (SQL Server).
-#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where case when {{ expression }} then 0 else 1 end = 1

{% endtest %}
