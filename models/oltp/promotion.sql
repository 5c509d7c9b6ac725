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
        {{ dbt.cast('promotion_id', ecom_synth.type_key()) }} as promotion_id,
        {{ dbt.cast('promotion_name', ecom_synth.type_text(100)) }} as promotion_name,
        {{ dbt.cast('discount_type', ecom_synth.type_text(20)) }} as discount_type,
        {{ dbt.cast('discount_value', ecom_synth.type_money()) }} as discount_value,
        {{ dbt.cast('starts_on', ecom_synth.type_date()) }} as starts_on,
        {{ dbt.cast('ends_on', ecom_synth.type_date()) }} as ends_on
    from source

)

select * from typed
