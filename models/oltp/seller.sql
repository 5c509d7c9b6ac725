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
        {{ dbt.cast('seller_id', ecom_synth.type_key()) }} as seller_id,
        {{ dbt.cast('seller_name', ecom_synth.type_text(120)) }} as seller_name,
        {{ dbt.cast('seller_type', ecom_synth.type_text(20)) }} as seller_type,
        {{ dbt.cast('email', ecom_synth.type_text(254)) }} as email,
        {{ dbt.cast('city', ecom_synth.type_text(100)) }} as city,
        {{ dbt.cast('country', ecom_synth.type_text(60)) }} as country,
        {{ dbt.cast('rating', ecom_synth.type_rating()) }} as rating,
        {{ dbt.cast('joined_at', ecom_synth.type_timestamp()) }} as joined_at,
        {{ dbt.cast('is_active', ecom_synth.type_bool()) }} as is_active
    from source

)

select * from typed
