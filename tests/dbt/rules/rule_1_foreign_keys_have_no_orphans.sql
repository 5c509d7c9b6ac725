{#-
    Rule 1, referential integrity: every foreign key of the typed tables points at an existing
    row. The databases enforce these keys too (contract constraints) and each key has its own
    `relationships` test; this one test sweeps the whole schema at once so that a single
    failure names every broken reference together.

    Failing rows: one per (reference, missing key value), with the number of orphan rows.
-#}
{%- set references = [
    ('category', 'parent_category_id', 'category', 'category_id'),
    ('product', 'brand_id', 'brand', 'brand_id'),
    ('product', 'category_id', 'category', 'category_id'),
    ('product', 'seller_id', 'seller', 'seller_id'),
    ('promotion_product', 'promotion_id', 'promotion', 'promotion_id'),
    ('promotion_product', 'product_id', 'product', 'product_id'),
    ('orders', 'customer_id', 'customer', 'customer_id'),
    ('order_item', 'order_id', 'orders', 'order_id'),
    ('order_item', 'product_id', 'product', 'product_id'),
    ('order_item', 'promotion_id', 'promotion', 'promotion_id'),
] -%}
{%- set tables = ['brand', 'category', 'seller', 'customer', 'product', 'promotion',
                  'promotion_product', 'orders', 'order_item'] -%}

with

{% for table in tables %}
{{ table }} as (

    select * from {{ ref(table) }}

),

{% endfor %}
orphans as (

    {% for child, fk, parent, pk in references %}
    select
        '{{ child }}.{{ fk }} -> {{ parent }}.{{ pk }}' as broken_reference,
        child_rows.{{ fk }} as missing_key,
        count(*) as orphan_rows
    from {{ child }} as child_rows
    where child_rows.{{ fk }} is not null
        and not exists (
            select 1
            from {{ parent }} as parent_rows
            where parent_rows.{{ pk }} = child_rows.{{ fk }}
        )
    group by child_rows.{{ fk }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from orphans
