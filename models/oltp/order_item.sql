with

source as (

    select * from {{ ref('raw_order_item') }}
    {% if is_incremental() %}
    -- rows never change once written and new ones get larger keys: only those past the last
    where order_item_id > (select coalesce(max(order_item_id), 0) from {{ this }})
    {% endif %}

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
