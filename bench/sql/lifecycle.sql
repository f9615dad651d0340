-- Lifecycle stages as of the date x (METRICS.md, "Lifecycle and groups"; docs/lifecycle.md): each customer's
-- orders up to and including x; usual interval = median gap between consecutive orders (elapsed seconds ÷
-- 86 400), else the shop's median first-to-second gap over customers whose second order is on or before x,
-- else 90 days. New: first order < 30 days before x; Active: days since last ≤ 1.5 × interval; Slipping
-- away: ≤ 2 ×; else Lost. Run once for D and once for D minus 1, 3, 6 and 12 months.
-- name: stages
WITH g AS (
    SELECT customer, day, t - lag(t) OVER w AS gap, row_number() OVER w AS k
    FROM orders
    WHERE customer IS NOT NULL AND day <= getvariable('x')
    WINDOW w AS (PARTITION BY customer ORDER BY t, order_id)),
c AS (
    SELECT customer, count(*) AS n, min(day) AS first_day, max(day) AS last_day,
           median(gap) / 86400 AS own_interval, max(gap) FILTER (WHERE k = 2) AS first_to_second
    FROM g GROUP BY customer),
shop AS (SELECT median(first_to_second) / 86400 AS shop_median FROM c WHERE n >= 2),
staged AS (
    SELECT CASE
               WHEN getvariable('x') - first_day < 30 THEN 'new'
               WHEN getvariable('x') - last_day <= 1.5 * u THEN 'active'
               WHEN getvariable('x') - last_day <= 2 * u THEN 'slipping_away'
               ELSE 'lost' END AS stage
    FROM (SELECT c.*, CASE WHEN n >= 2 THEN own_interval ELSE coalesce(shop.shop_median, 90) END AS u FROM c, shop))
SELECT count(*) FILTER (WHERE stage = 'new') AS new,
       count(*) FILTER (WHERE stage = 'active') AS active,
       count(*) FILTER (WHERE stage = 'slipping_away') AS slipping_away,
       count(*) FILTER (WHERE stage = 'lost') AS lost,
       (SELECT shop_median FROM shop) AS shop_median_days
FROM staged;
