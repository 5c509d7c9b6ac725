with

source as (

    select * from {{ ref('raw_customer') }}
    {% if is_incremental() %}
    -- rows never change once written and new ones get larger keys: only those past the last
    where customer_id > (select coalesce(max(customer_id), 0) from {{ this }})
    {% endif %}

),

typed as (

    select
        {{ dbt.cast('customer_id', ecom_synth.type_big_key()) }} as customer_id,
        {{ dbt.cast('first_name', ecom_synth.type_text(100)) }} as first_name,
        {{ dbt.cast('last_name', ecom_synth.type_text(100)) }} as last_name,
        {{ dbt.cast('email', ecom_synth.type_text(254)) }} as email,
        {{ dbt.cast('phone', ecom_synth.type_text(40)) }} as phone,
        {{ dbt.cast('city', ecom_synth.type_text(100)) }} as city,
        {{ dbt.cast('country', ecom_synth.type_text(60)) }} as country,
        {{ dbt.cast('signed_up_at', ecom_synth.type_timestamp()) }} as signed_up_at
    from source

)

select * from typed
