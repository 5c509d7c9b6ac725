with

source as (

    select * from {{ ref('raw_category') }}
    {% if is_incremental() %}
    -- the same within a world: only a key the table lacks
    where category_id not in (select category_id from {{ this }})
    {% endif %}

),

typed as (

    select
        {{ ecom_synth.typed_columns() }}
    from source

)

select * from typed
