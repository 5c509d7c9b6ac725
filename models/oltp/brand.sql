with

source as (

    select * from {{ ref('raw_brand') }}

),

typed as (

    select
        cast(brand_id as {{ ecom_synth.type_key() }}) as brand_id,
        cast(brand_name as {{ ecom_synth.type_text(100) }}) as brand_name,
        cast(country as {{ ecom_synth.type_text(60) }}) as country,
        cast(founded_year as {{ ecom_synth.type_key() }}) as founded_year,
        cast(created_at as {{ ecom_synth.type_timestamp() }}) as created_at
    from source

)

select * from typed
