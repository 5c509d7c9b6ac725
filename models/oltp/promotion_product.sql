with

source as (

    select * from {{ ref('raw_promotion_product') }} as raw
    {% if is_incremental() %}
    -- the same within a world: only a pair the table lacks
    where not exists (
        select 1
        from {{ this }} as live
        where live.promotion_id = raw.promotion_id
            and live.product_id = raw.product_id
    )
    {% endif %}

),

typed as (

    select
        {{ ecom_synth.typed_columns() }}
    from source

)

select * from typed
