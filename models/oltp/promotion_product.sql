with

source as (

    select * from {{ ref('raw_promotion_product') }}

),

typed as (

    select
        {{ dbt.cast('promotion_id', ecom_synth.type_key()) }} as promotion_id,
        {{ dbt.cast('product_id', ecom_synth.type_key()) }} as product_id
    from source

)

select * from typed
