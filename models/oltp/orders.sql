with

source as (

    select * from {{ ref('raw_orders') }}
    {% if is_incremental() %}
    -- new orders and orders that took a step since the instant the table holds
    where updated_at >= {{ ecom_synth.held_as_of() }}
    {% endif %}

),

typed as (

    select
        {{ dbt.cast('order_id', ecom_synth.type_big_key()) }} as order_id,
        {{ dbt.cast('customer_id', ecom_synth.type_big_key()) }} as customer_id,
        {{ dbt.cast('ordered_at', ecom_synth.type_timestamp()) }} as ordered_at,
        {{ dbt.cast('status', ecom_synth.type_text(20)) }} as status,
        {{ dbt.cast('payment_method', ecom_synth.type_text(30)) }} as payment_method,
        {{ dbt.cast('paid_at', ecom_synth.type_timestamp()) }} as paid_at,
        {{ dbt.cast('shipped_at', ecom_synth.type_timestamp()) }} as shipped_at,
        {{ dbt.cast('delivered_at', ecom_synth.type_timestamp()) }} as delivered_at,
        {{ dbt.cast('cancelled_at', ecom_synth.type_timestamp()) }} as cancelled_at,
        {{ dbt.cast('returned_at', ecom_synth.type_timestamp()) }} as returned_at,
        {{ dbt.cast('updated_at', ecom_synth.type_timestamp()) }} as updated_at,
        {{ dbt.cast('subtotal_amount', ecom_synth.type_money()) }} as subtotal_amount,
        {{ dbt.cast('discount_amount', ecom_synth.type_money()) }} as discount_amount,
        {{ dbt.cast('shipping_fee', ecom_synth.type_money()) }} as shipping_fee,
        {{ dbt.cast('total_amount', ecom_synth.type_money()) }} as total_amount
    from source

)

select * from typed
