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
        {{ ecom_synth.typed_columns() }}
    from source

)

select * from typed
