{#-
    Fails unless the model holds exactly the number of rows that the generator wrote for
    `table_name` in the `raw_row_counts` seed. The expected count travels with every dataset
    (it follows --scale and --rows), so the test never hard-codes a volume.

    Returns one failing row (actual and expected counts) when they differ, or when the dataset
    has no expected count for that table (expected_rows is then null).
-#}
{% test row_count_equals_expected(model, table_name) %}

with

actual as (

    select count(*) as actual_rows
    from {{ model }}

),

expected as (

    select row_count as expected_rows
    from {{ ref('raw_row_counts') }}
    where table_name = '{{ table_name }}'

)

select
    '{{ table_name }}' as table_name,
    actual.actual_rows,
    expected.expected_rows
from actual
left join expected
    on 1 = 1
where expected.expected_rows is null
    or expected.expected_rows <> actual.actual_rows

{% endtest %}
