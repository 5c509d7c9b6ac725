with

source as (

    select * from {{ ref('raw_category') }}
    {% if is_incremental() %}
    -- the same within a world: only a key the table lacks
    where category_id not in (select category_id from {{ this }})
    {% endif %}

),

typed as (

    select
        {{ dbt.cast('category_id', ecom_synth.type_key()) }} as category_id,
        {{ dbt.cast('category_name', ecom_synth.type_text(100)) }} as category_name,
        {{ dbt.cast('parent_category_id', ecom_synth.type_key()) }} as parent_category_id,
        {{ dbt.cast('level', ecom_synth.type_key()) }} as level,
        {{ dbt.cast('created_at', ecom_synth.type_timestamp()) }} as created_at
    from source

)

select * from typed
