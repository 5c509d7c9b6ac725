with

source as (

    select * from {{ ref('raw_customer') }}

),

typed as (

    select
        cast(customer_id as {{ ecom_synth.type_big_key() }}) as customer_id,
        cast(first_name as {{ ecom_synth.type_text(100) }}) as first_name,
        cast(last_name as {{ ecom_synth.type_text(100) }}) as last_name,
        cast(email as {{ ecom_synth.type_text(254) }}) as email,
        cast(phone as {{ ecom_synth.type_text(40) }}) as phone,
        cast(city as {{ ecom_synth.type_text(100) }}) as city,
        cast(country as {{ ecom_synth.type_text(60) }}) as country,
        cast(signed_up_at as {{ ecom_synth.type_timestamp() }}) as signed_up_at
    from source

)

select * from typed
