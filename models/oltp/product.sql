with

source as (

    select * from {{ ref('raw_product') }}
    {% if is_incremental() %}
    -- listings whose stock changed since the instant the table holds (and any new one)
    where updated_at >= {{ ecom_synth.held_as_of() }}
    {% endif %}

),

typed as (

    select
        {{ dbt.cast('product_id', ecom_synth.type_key()) }} as product_id,
        {{ dbt.cast('sku', ecom_synth.type_text(32)) }} as sku,
        {{ dbt.cast('product_name', ecom_synth.type_text(200)) }} as product_name,
        {{ dbt.cast('brand_id', ecom_synth.type_key()) }} as brand_id,
        {{ dbt.cast('category_id', ecom_synth.type_key()) }} as category_id,
        {{ dbt.cast('seller_id', ecom_synth.type_key()) }} as seller_id,
        {{ dbt.cast('unit_price', ecom_synth.type_money()) }} as unit_price,
        {{ dbt.cast('cost_price', ecom_synth.type_money()) }} as cost_price,
        {{ dbt.cast('stock_quantity', ecom_synth.type_key()) }} as stock_quantity,
        {{ dbt.cast('received_quantity', ecom_synth.type_key()) }} as received_quantity,
        {{ dbt.cast('is_active', ecom_synth.type_bool()) }} as is_active,
        {{ dbt.cast('created_at', ecom_synth.type_timestamp()) }} as created_at,
        {{ dbt.cast('updated_at', ecom_synth.type_timestamp()) }} as updated_at
    from source

)

select * from typed
