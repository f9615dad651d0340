-- The raw file, as an analyst loads it: every column with an explicit type, one row per order line.
-- Parameters: csv (the canonical order-lines CSV), rates (its rate table).
CREATE OR REPLACE TABLE lines AS
SELECT * FROM read_csv(getvariable('csv'), header = true, delim = ',', quote = '"', escape = '"',
    columns = {
        'order_id': 'VARCHAR', 'placed_at': 'TIMESTAMPTZ', 'customer_id': 'VARCHAR', 'email': 'VARCHAR',
        'status': 'VARCHAR', 'currency': 'VARCHAR', 'order_total': 'DECIMAL(18,4)', 'refunded': 'DECIMAL(18,4)',
        'product_id': 'VARCHAR', 'product_name': 'VARCHAR', 'quantity': 'BIGINT', 'unit_price': 'DECIMAL(18,4)',
        'returned_quantity': 'BIGINT', 'country': 'VARCHAR'});
CREATE OR REPLACE TABLE rates AS
SELECT * FROM read_csv(getvariable('rates'), header = true, columns = {'currency': 'VARCHAR', 'rate': 'DECIMAL(18,6)'});
