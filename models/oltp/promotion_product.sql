with

source as (

    select * from {{ ref('raw_promotion_product') }}

),

typed as (

    select
        cast(promotion_id as {{ ecom_synth.type_key() }}) as promotion_id,
        cast(product_id as {{ ecom_synth.type_key() }}) as product_id
    from source

)

select * from typed
