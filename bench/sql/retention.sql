-- Retention metrics (METRICS.md, "CLV and retention metrics"; docs/retention.md) for P = [p_start, p_end)
-- and the previous window of equal length P' = [pp_start, p_start).
-- name: retention
WITH first_ever AS (SELECT customer, min(day) AS first_day FROM orders WHERE customer IS NOT NULL GROUP BY customer),
s AS (SELECT DISTINCT customer FROM orders
      WHERE customer IS NOT NULL AND day >= getvariable('pp_start') AND day < getvariable('p_start')),
e AS (SELECT DISTINCT customer FROM orders
      WHERE customer IS NOT NULL AND day >= getvariable('p_start') AND day < getvariable('p_end')),
before_end AS (
    SELECT customer, count(*) AS n, min(t) AS first_t, max(t) AS last_t
    FROM orders WHERE customer IS NOT NULL AND day < getvariable('p_end') GROUP BY customer),
returns AS (
    SELECT coalesce(sum(quantity), 0) AS sold, coalesce(sum(returned_quantity), 0) AS returned
    FROM items WHERE day >= getvariable('p_start') AND day < getvariable('p_end'))
SELECT (SELECT count(*) FROM s) AS S,
       (SELECT count(*) FROM e) AS E,
       (SELECT count(*) FROM first_ever WHERE first_day >= getvariable('p_start') AND first_day < getvariable('p_end')) AS N,
       (SELECT count(*) FROM s WHERE customer NOT IN (SELECT customer FROM e)) AS churned,
       (SELECT count(*) FROM before_end) AS customers_ever,
       (SELECT count(*) FROM before_end WHERE n >= 2) AS repeat_customers_ever,
       (SELECT avg((last_t - first_t) / 86400.0 / (n - 1)) FROM before_end WHERE n >= 2) AS tbp_mean_days,
       (SELECT sold FROM returns) AS sold_quantity,
       (SELECT returned FROM returns) AS returned_quantity;
