{#-
    Fails on every row of the model whose `column_name` points at a node of a tree that has
    children: the value must be a leaf. The tree is `tree_model`, where `tree_key` identifies a
    node and `parent_column` names its parent.

    Example, on product.category_id:
      - is_leaf_of_tree: {tree_model: ref('category'), tree_key: category_id,
                          parent_column: parent_category_id}
-#}
{% test is_leaf_of_tree(model, column_name, tree_model, tree_key, parent_column) %}

with

referencing as (

    select {{ column_name }} as node_id
    from {{ model }}
    where {{ column_name }} is not null

),

inner_nodes as (

    select distinct {{ parent_column }} as node_id
    from {{ tree_model }}
    where {{ parent_column }} is not null

)

select
    referencing.node_id,
    count(*) as referencing_rows
from referencing
inner join inner_nodes
    on referencing.node_id = inner_nodes.node_id
group by referencing.node_id

{% endtest %}
