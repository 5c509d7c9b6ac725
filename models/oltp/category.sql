with

source as (

    select * from {{ ref('raw_category') }}

),

typed as (

    select
        cast(category_id as {{ ecom_synth.type_key() }}) as category_id,
        cast(category_name as {{ ecom_synth.type_text(100) }}) as category_name,
        cast(parent_category_id as {{ ecom_synth.type_key() }}) as parent_category_id,
        cast(level as {{ ecom_synth.type_key() }}) as level,
        cast(created_at as {{ ecom_synth.type_timestamp() }}) as created_at
    from source

)

select * from typed
