with

source as (

    select * from {{ ref('raw_order_item') }}

),

typed as (

    select
        cast(order_item_id as {{ ecom_synth.type_big_key() }}) as order_item_id,
        cast(order_id as {{ ecom_synth.type_big_key() }}) as order_id,
        cast(product_id as {{ ecom_synth.type_key() }}) as product_id,
        cast(quantity as {{ ecom_synth.type_key() }}) as quantity,
        cast(unit_price as {{ ecom_synth.type_money() }}) as unit_price,
        cast(promotion_id as {{ ecom_synth.type_key() }}) as promotion_id,
        cast(discount_amount as {{ ecom_synth.type_money() }}) as discount_amount,
        cast(line_total as {{ ecom_synth.type_money() }}) as line_total
    from source

)

select * from typed
