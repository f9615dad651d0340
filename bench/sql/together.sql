-- Bought together over the non-cancelled orders in P, anonymous ones included (METRICS.md, "Bought together"):
-- per unordered pair of distinct products (a < b) the orders with both; pairs seen in at least 2 orders; listed
-- by that count descending, then a, then b.
-- name: together
WITH op AS (
    SELECT DISTINCT order_id, product_id FROM items
    WHERE day >= getvariable('p_start') AND day < getvariable('p_end')),
per_product AS (SELECT product_id, count(*) AS orders FROM op GROUP BY product_id),
pairs AS (
    SELECT x.product_id AS a, y.product_id AS b, count(*) AS orders_with_both
    FROM op x JOIN op y ON x.order_id = y.order_id AND x.product_id < y.product_id
    GROUP BY ALL HAVING count(*) >= 2),
ranked AS (SELECT * FROM pairs ORDER BY orders_with_both DESC, a, b LIMIT 20)
SELECT (SELECT count(DISTINCT order_id) FROM items WHERE day >= getvariable('p_start') AND day < getvariable('p_end')) AS orders,
       (SELECT count(*) FROM pairs) AS pair_count,
       (SELECT list([r.a, r.b, r.orders_with_both::VARCHAR, pa.orders::VARCHAR, pb.orders::VARCHAR]
                    ORDER BY r.orders_with_both DESC, r.a, r.b)
        FROM ranked r JOIN per_product pa ON pa.product_id = r.a JOIN per_product pb ON pb.product_id = r.b) AS top;
