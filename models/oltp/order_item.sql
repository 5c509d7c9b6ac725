with

source as (

    select * from {{ ref('raw_order_item') }}

),

typed as (

    select
        {{ dbt.cast('order_item_id', ecom_synth.type_big_key()) }} as order_item_id,
        {{ dbt.cast('order_id', ecom_synth.type_big_key()) }} as order_id,
        {{ dbt.cast('product_id', ecom_synth.type_key()) }} as product_id,
        {{ dbt.cast('quantity', ecom_synth.type_key()) }} as quantity,
        {{ dbt.cast('unit_price', ecom_synth.type_money()) }} as unit_price,
        {{ dbt.cast('promotion_id', ecom_synth.type_key()) }} as promotion_id,
        {{ dbt.cast('discount_amount', ecom_synth.type_money()) }} as discount_amount,
        {{ dbt.cast('line_total', ecom_synth.type_money()) }} as line_total
    from source

)

select * from typed
