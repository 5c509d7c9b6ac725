{#-
    Rule 2, category tree: no cycles; roots have level 1 and no parent; a child's level is its
    parent's level + 1; products sit on leaf categories only; and a full-size tree (the default
    10 categories or more) has at least two levels. The spec promises two levels for the
    default volume only: a run with --rows category=1 legitimately has a single root.

    Cycles: walking down from the roots reaches every category of a tree. A category on a cycle
    (or under one) always has a parent, so no walk from a root ever reaches it: every category
    the walk misses is reported. The depth guard only protects the recursion itself.

    Failing rows: failed_check, category_id, product_id.
-#}
{% set min_categories_for_two_levels = 10 %}

{{ ecom_synth.with_recursive() }}

category as (

    select
        category_id,
        parent_category_id,
        level
    from {{ ref('category') }}

),

product as (

    select
        product_id,
        category_id
    from {{ ref('product') }}

),

tree (category_id, depth) as (

    select
        category_id,
        1
    from category
    where parent_category_id is null

    union all

    select
        child.category_id,
        tree.depth + 1
    from category as child
    inner join tree
        on child.parent_category_id = tree.category_id
    where tree.depth < 100

),

root_not_level_1 as (

    select
        'root_not_level_1' as failed_check,
        category_id,
        cast(null as {{ dbt.type_int() }}) as product_id
    from category
    where parent_category_id is null
        and level <> 1

),

child_level_not_parent_plus_1 as (

    select
        'child_level_not_parent_level_plus_1' as failed_check,
        child.category_id,
        cast(null as {{ dbt.type_int() }}) as product_id
    from category as child
    inner join category as parent
        on child.parent_category_id = parent.category_id
    where child.level <> parent.level + 1

),

unreachable_from_a_root as (

    select
        'not_reachable_from_a_root_cycle' as failed_check,
        category.category_id,
        cast(null as {{ dbt.type_int() }}) as product_id
    from category
    where not exists (
        select 1
        from tree
        where tree.category_id = category.category_id
    )

),

product_on_inner_category as (

    select
        'product_not_on_a_leaf_category' as failed_check,
        product.category_id,
        product.product_id
    from product
    where exists (
        select 1
        from category
        where category.parent_category_id = product.category_id
    )

),

tree_shape as (

    select
        count(*) as categories,
        max(level) as max_level
    from category

),

fewer_than_two_levels as (

    select
        'fewer_than_two_levels' as failed_check,
        cast(null as {{ dbt.type_int() }}) as category_id,
        cast(null as {{ dbt.type_int() }}) as product_id
    from tree_shape
    where categories >= {{ min_categories_for_two_levels }}
        and max_level < 2

)

select * from root_not_level_1
union all
select * from child_level_not_parent_plus_1
union all
select * from unreachable_from_a_root
union all
select * from product_on_inner_category
union all
select * from fewer_than_two_levels
