with

source as (

    select * from {{ ref('raw_promotion') }}
    {% if is_incremental() %}
    -- the same within a world: only a key the table lacks
    where promotion_id not in (select promotion_id from {{ this }})
    {% endif %}

),

typed as (

    select
        {{ ecom_synth.typed_columns() }}
    from source

)

select * from typed
