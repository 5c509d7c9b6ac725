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
        {{ ecom_synth.typed_columns() }}
    from source

)

select * from typed
