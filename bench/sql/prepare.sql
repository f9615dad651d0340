-- From lines to the tables every report reads (METRICS.md, "Ground rules" and "Details that are easy to get wrong"):
-- order-level fields once per order; identity per order (customer_id trimmed, else the e-mail trimmed and
-- lower-cased, else anonymous); money in integer minor units of the shop currency (amount × rate, rounded
-- halves away from zero); shop dates in the shop's time zone; cancelled orders set apart before anything else.
-- Parameters: tz (the shop's IANA time zone), shop_digits (the shop currency's minor digits).
CREATE OR REPLACE TABLE all_orders AS
WITH o AS (
    SELECT order_id,
           any_value(placed_at) AS placed_at, any_value(customer_id) AS customer_id, any_value(email) AS email,
           any_value(status) AS status, any_value(currency) AS currency,
           any_value(order_total) AS order_total, any_value(refunded) AS refunded
    FROM lines GROUP BY order_id)
SELECT o.order_id,
       epoch(o.placed_at)::BIGINT AS t,
       (o.placed_at AT TIME ZONE getvariable('tz'))::DATE AS day,
       CASE WHEN coalesce(trim(o.customer_id), '') <> '' THEN trim(o.customer_id)
            WHEN coalesce(trim(o.email), '') <> '' THEN lower(trim(o.email)) END AS customer,
       lower(trim(o.status)) = 'cancelled' AS cancelled,
       CAST(round(o.order_total * coalesce(r.rate, 1) * pow(10, getvariable('shop_digits'))::BIGINT) AS BIGINT) AS total,
       CAST(round(o.refunded * coalesce(r.rate, 1) * pow(10, getvariable('shop_digits'))::BIGINT) AS BIGINT) AS refunded
FROM o LEFT JOIN rates r ON r.currency = o.currency AND o.currency <> getvariable('shop_currency');

CREATE OR REPLACE TABLE orders AS SELECT order_id, t, day, customer, total, refunded FROM all_orders WHERE NOT cancelled;
CREATE OR REPLACE TABLE cancelled_orders AS SELECT day FROM all_orders WHERE cancelled;

-- The lines of the non-cancelled orders, with their order's day, instant and customer.
CREATE OR REPLACE TABLE items AS
SELECT l.order_id, l.product_id, l.quantity, l.returned_quantity, o.day, o.t, o.customer
FROM lines l JOIN orders o ON o.order_id = l.order_id;
