with

source as (

    select * from {{ ref('raw_promotion') }}

),

typed as (

    select
        cast(promotion_id as {{ ecom_synth.type_key() }}) as promotion_id,
        cast(promotion_name as {{ ecom_synth.type_text(100) }}) as promotion_name,
        cast(discount_type as {{ ecom_synth.type_text(20) }}) as discount_type,
        cast(discount_value as {{ ecom_synth.type_money() }}) as discount_value,
        cast(starts_on as {{ ecom_synth.type_date() }}) as starts_on,
        cast(ends_on as {{ ecom_synth.type_date() }}) as ends_on
    from source

)

select * from typed
