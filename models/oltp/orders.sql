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
        {{ ecom_synth.typed_columns() }}
    from source

)

select * from typed
