with

source as (

    select * from {{ ref('raw_seller') }}

),

typed as (

    select
        cast(seller_id as {{ ecom_synth.type_key() }}) as seller_id,
        cast(seller_name as {{ ecom_synth.type_text(120) }}) as seller_name,
        cast(seller_type as {{ ecom_synth.type_text(20) }}) as seller_type,
        cast(email as {{ ecom_synth.type_text(254) }}) as email,
        cast(city as {{ ecom_synth.type_text(100) }}) as city,
        cast(country as {{ ecom_synth.type_text(60) }}) as country,
        cast(rating as {{ ecom_synth.type_rating() }}) as rating,
        cast(joined_at as {{ ecom_synth.type_timestamp() }}) as joined_at,
        cast(is_active as {{ ecom_synth.type_bool() }}) as is_active
    from source

)

select * from typed
