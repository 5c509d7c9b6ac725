{#- Written by `make dbt-schema` (scripts/dbt_schema.py) from seeds_gen/schema.py; do not edit. -#}

{#- Each table's columns in order: [name, logical type, length of text] -#}
{% macro schema_columns() %}
  {{ return({
    'brand': [
      ['brand_id', 'int', none],
      ['brand_name', 'text', 100],
      ['country', 'text', 60],
      ['founded_year', 'int', none],
      ['created_at', 'timestamp', none]
    ],
    'category': [
      ['category_id', 'int', none],
      ['category_name', 'text', 100],
      ['parent_category_id', 'int', none],
      ['level', 'int', none],
      ['created_at', 'timestamp', none]
    ],
    'seller': [
      ['seller_id', 'int', none],
      ['seller_name', 'text', 120],
      ['seller_type', 'text', 20],
      ['email', 'text', 254],
      ['city', 'text', 100],
      ['country', 'text', 60],
      ['rating', 'rating', none],
      ['joined_at', 'timestamp', none],
      ['is_active', 'boolean', none]
    ],
    'customer': [
      ['customer_id', 'bigint', none],
      ['first_name', 'text', 100],
      ['last_name', 'text', 100],
      ['email', 'text', 254],
      ['phone', 'text', 40],
      ['city', 'text', 100],
      ['country', 'text', 60],
      ['signed_up_at', 'timestamp', none]
    ],
    'product': [
      ['product_id', 'int', none],
      ['sku', 'text', 32],
      ['product_name', 'text', 200],
      ['brand_id', 'int', none],
      ['category_id', 'int', none],
      ['seller_id', 'int', none],
      ['unit_price', 'decimal', none],
      ['cost_price', 'decimal', none],
      ['stock_quantity', 'int', none],
      ['received_quantity', 'int', none],
      ['is_active', 'boolean', none],
      ['created_at', 'timestamp', none],
      ['updated_at', 'timestamp', none]
    ],
    'promotion': [
      ['promotion_id', 'int', none],
      ['promotion_name', 'text', 100],
      ['discount_type', 'text', 20],
      ['discount_value', 'decimal', none],
      ['starts_on', 'date', none],
      ['ends_on', 'date', none]
    ],
    'promotion_product': [
      ['promotion_id', 'int', none],
      ['product_id', 'int', none]
    ],
    'orders': [
      ['order_id', 'bigint', none],
      ['customer_id', 'bigint', none],
      ['ordered_at', 'timestamp', none],
      ['status', 'text', 20],
      ['payment_method', 'text', 30],
      ['paid_at', 'timestamp', none],
      ['shipped_at', 'timestamp', none],
      ['delivered_at', 'timestamp', none],
      ['cancelled_at', 'timestamp', none],
      ['returned_at', 'timestamp', none],
      ['updated_at', 'timestamp', none],
      ['subtotal_amount', 'decimal', none],
      ['discount_amount', 'decimal', none],
      ['shipping_fee', 'decimal', none],
      ['total_amount', 'decimal', none]
    ],
    'order_item': [
      ['order_item_id', 'bigint', none],
      ['order_id', 'bigint', none],
      ['product_id', 'int', none],
      ['quantity', 'int', none],
      ['unit_price', 'decimal', none],
      ['promotion_id', 'int', none],
      ['discount_amount', 'decimal', none],
      ['line_total', 'decimal', none]
    ]
  }) }}
{% endmacro %}

{#- The seeds of one generated dataset: raw_<table> and the row counts -#}
{% macro generated_seed_names() %}
  {{ return(['raw_brand', 'raw_category', 'raw_seller', 'raw_customer', 'raw_product', 'raw_promotion', 'raw_promotion_product', 'raw_orders', 'raw_order_item', 'raw_row_counts']) }}
{% endmacro %}
