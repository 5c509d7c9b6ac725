with

source as (

    select * from {{ ref('raw_seller') }}
    {% if is_incremental() %}
    -- the same within a world: only a key the table lacks
    where seller_id not in (select seller_id from {{ this }})
    {% endif %}

),

typed as (

    select
        {{ ecom_synth.typed_columns() }}
    from source

)

select * from typed
