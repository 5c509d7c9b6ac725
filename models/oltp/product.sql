with

source as (

    select * from {{ ref('raw_product') }}

),

typed as (

    select
        cast(product_id as {{ ecom_synth.type_key() }}) as product_id,
        cast(sku as {{ ecom_synth.type_text(32) }}) as sku,
        cast(product_name as {{ ecom_synth.type_text(200) }}) as product_name,
        cast(brand_id as {{ ecom_synth.type_key() }}) as brand_id,
        cast(category_id as {{ ecom_synth.type_key() }}) as category_id,
        cast(seller_id as {{ ecom_synth.type_key() }}) as seller_id,
        cast(unit_price as {{ ecom_synth.type_money() }}) as unit_price,
        cast(cost_price as {{ ecom_synth.type_money() }}) as cost_price,
        cast(stock_quantity as {{ ecom_synth.type_key() }}) as stock_quantity,
        cast(received_quantity as {{ ecom_synth.type_key() }}) as received_quantity,
        cast(is_active as {{ ecom_synth.type_bool() }}) as is_active,
        cast(created_at as {{ ecom_synth.type_timestamp() }}) as created_at
    from source

)

select * from typed
