with

source as (

    select * from {{ ref('raw_orders') }}

),

typed as (

    select
        cast(order_id as {{ ecom_synth.type_big_key() }}) as order_id,
        cast(customer_id as {{ ecom_synth.type_big_key() }}) as customer_id,
        cast(ordered_at as {{ ecom_synth.type_timestamp() }}) as ordered_at,
        cast(status as {{ ecom_synth.type_text(20) }}) as status,
        cast(payment_method as {{ ecom_synth.type_text(30) }}) as payment_method,
        cast(paid_at as {{ ecom_synth.type_timestamp() }}) as paid_at,
        cast(shipped_at as {{ ecom_synth.type_timestamp() }}) as shipped_at,
        cast(delivered_at as {{ ecom_synth.type_timestamp() }}) as delivered_at,
        cast(subtotal_amount as {{ ecom_synth.type_money() }}) as subtotal_amount,
        cast(discount_amount as {{ ecom_synth.type_money() }}) as discount_amount,
        cast(shipping_fee as {{ ecom_synth.type_money() }}) as shipping_fee,
        cast(total_amount as {{ ecom_synth.type_money() }}) as total_amount
    from source

)

select * from typed
