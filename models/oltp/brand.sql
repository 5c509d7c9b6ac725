with

source as (

    select * from {{ ref('raw_brand') }}
    {% if is_incremental() %}
    -- the same within a world: only a key the table lacks
    where brand_id not in (select brand_id from {{ this }})
    {% endif %}

),

typed as (

    select
        {{ dbt.cast('brand_id', ecom_synth.type_key()) }} as brand_id,
        {{ dbt.cast('brand_name', ecom_synth.type_text(100)) }} as brand_name,
        {{ dbt.cast('country', ecom_synth.type_text(60)) }} as country,
        {{ dbt.cast('founded_year', ecom_synth.type_key()) }} as founded_year,
        {{ dbt.cast('created_at', ecom_synth.type_timestamp()) }} as created_at
    from source

)

select * from typed
