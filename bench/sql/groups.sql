-- Groups as of D (METRICS.md, "Groups"; docs/lifecycle.md "Choices"): one-time buyers (1 order); among repeat
-- customers VIP (lifetime revenue ≥ the K-th largest of all customers', K = ⌊0.10 × customers⌋), Frequent
-- (orders × 365.25 ≥ 4 × tenure days, tenure = D − first order day, at least 30), Loyal (the rest). Per group:
-- customers, orders, revenue, units bought, and how many are in stage Lost at D (the lifecycle rules).
-- name: groups
WITH g AS (
    SELECT customer, day, total, t - lag(t) OVER w AS gap, row_number() OVER w AS k, order_id
    FROM orders
    WHERE customer IS NOT NULL AND day <= getvariable('as_of')
    WINDOW w AS (PARTITION BY customer ORDER BY t, order_id)),
units AS (
    SELECT customer, sum(quantity) AS units FROM items
    WHERE customer IS NOT NULL AND day <= getvariable('as_of') GROUP BY customer),
c AS (
    SELECT customer, count(*) AS n, sum(total) AS revenue, min(day) AS first_day, max(day) AS last_day,
           median(gap) / 86400 AS own_interval, max(gap) FILTER (WHERE k = 2) AS first_to_second
    FROM g GROUP BY customer),
shop AS (SELECT median(first_to_second) / 86400 AS shop_median FROM c WHERE n >= 2),
cut AS (
    SELECT (SELECT revenue FROM c ORDER BY revenue DESC LIMIT 1 OFFSET (SELECT count(*) // 10 - 1 FROM c)) AS vip_cutoff
    WHERE (SELECT count(*) // 10 FROM c) >= 1),
classified AS (
    SELECT c.n, c.revenue, u.units,
           CASE WHEN c.n = 1 THEN 'one-time'
                WHEN c.revenue >= (SELECT vip_cutoff FROM cut) THEN 'vip'
                WHEN c.n * 365.25 >= 4 * greatest(getvariable('as_of') - c.first_day, 30) THEN 'frequent'
                ELSE 'loyal' END AS grp,
           CASE WHEN getvariable('as_of') - c.first_day < 30 THEN false
                ELSE getvariable('as_of') - c.last_day >
                     2 * CASE WHEN c.n >= 2 THEN c.own_interval ELSE coalesce((SELECT shop_median FROM shop), 90) END
           END AS lost
    FROM c JOIN units u USING (customer))
SELECT grp, count(*) AS customers, sum(n) AS orders, sum(revenue) AS revenue, sum(units) AS units,
       count(*) FILTER (WHERE lost) AS lost, (SELECT vip_cutoff FROM cut) AS vip_cutoff
FROM classified
GROUP BY ROLLUP (grp);
