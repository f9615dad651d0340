-- Purchase cycles as of D (METRICS.md, "Purchase cycles"; docs/behaviour.md): identified, non-cancelled orders
-- up to D; per customer and product, the gaps between consecutive orders containing it (a product on two
-- lines of one order counts once), elapsed seconds ÷ 86 400; the product's cycle is the median gap. Products
-- with at least 4 gaps, by gaps descending, then product id.
-- name: cycles
WITH cp AS (
    SELECT DISTINCT customer, order_id, t, product_id FROM items
    WHERE customer IS NOT NULL AND day <= getvariable('as_of')),
gaps AS (
    SELECT product_id, customer,
           t - lag(t) OVER (PARTITION BY customer, product_id ORDER BY t, order_id) AS gap
    FROM cp),
per_product AS (
    SELECT product_id, count(gap) AS gaps, count(DISTINCT customer) FILTER (WHERE gap IS NOT NULL) AS customers,
           median(gap) / 86400 AS median_days
    FROM gaps GROUP BY product_id)
SELECT (SELECT count(*) FROM per_product WHERE gaps > 0) AS products_with_gaps,
       (SELECT list([product_id, gaps::VARCHAR, customers::VARCHAR, median_days::VARCHAR] ORDER BY gaps DESC, product_id)
        FROM per_product WHERE gaps >= 4) AS products;
