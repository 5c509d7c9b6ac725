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
        {{ ecom_synth.typed_columns() }}
    from source

)

select * from typed
