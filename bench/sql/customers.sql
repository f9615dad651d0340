-- Customer statistics page (METRICS.md, "Customer statistics page") over the period P = [p_start, p_end).
-- name: totals
SELECT count(*) AS orders,
       count(*) FILTER (WHERE customer IS NULL) AS anonymous_orders,
       (SELECT count(*) FROM cancelled_orders WHERE day >= getvariable('p_start') AND day < getvariable('p_end')) AS cancelled_orders,
       coalesce(sum(total), 0) AS revenue,
       coalesce(sum(total) - sum(refunded), 0) AS net_revenue,
       coalesce(sum(total) FILTER (WHERE customer IS NOT NULL), 0) AS identified_revenue
FROM orders WHERE day >= getvariable('p_start') AND day < getvariable('p_end');

-- name: cards
-- Per customer in P: orders, revenue, and the first two instants (ordered by instant, then order id).
WITH pc AS (
    SELECT customer, count(*) AS n, sum(total) AS revenue, min(t, 2) AS first_two
    FROM orders
    WHERE customer IS NOT NULL AND day >= getvariable('p_start') AND day < getvariable('p_end')
    GROUP BY customer)
SELECT count(*) AS unique_customers,
       count(*) FILTER (WHERE n >= 2) AS repeat_customers,
       -- identified revenue ÷ C(P), rounded to minor units halves away from zero (revenue is never negative here)
       CASE WHEN count(*) > 0 THEN (2 * sum(revenue) + count(*)) // (2 * count(*)) END AS average_clv,
       avg((first_two[2] - first_two[1]) / 86400.0) FILTER (WHERE n >= 2) AS average_days_first_to_second,
       count(*) FILTER (WHERE n = 1) AS one_time, coalesce(sum(revenue) FILTER (WHERE n = 1), 0) AS one_time_revenue,
       count(*) FILTER (WHERE n BETWEEN 2 AND 3) AS returning, coalesce(sum(revenue) FILTER (WHERE n BETWEEN 2 AND 3), 0) AS returning_revenue,
       count(*) FILTER (WHERE n >= 4) AS loyal, coalesce(sum(revenue) FILTER (WHERE n >= 4), 0) AS loyal_revenue
FROM pc;

-- name: months
-- New vs returning per calendar month overlapping P: new = first order ever (all data) in that month.
WITH first_ever AS (
    SELECT customer, date_trunc('month', min(day)) AS first_month FROM orders WHERE customer IS NOT NULL GROUP BY customer),
active AS (
    SELECT DISTINCT customer, date_trunc('month', day) AS month
    FROM orders
    WHERE customer IS NOT NULL AND day >= getvariable('p_start') AND day < getvariable('p_end')),
months AS (
    SELECT unnest(generate_series(date_trunc('month', getvariable('p_start')),
                                  date_trunc('month', getvariable('p_end') - 1), INTERVAL 1 MONTH))::DATE AS month)
SELECT strftime(m.month, '%Y-%m') AS label,
       count(a.customer) AS customers,
       count(a.customer) FILTER (WHERE f.first_month = m.month) AS new
FROM months m
LEFT JOIN active a ON a.month = m.month
LEFT JOIN first_ever f ON f.customer = a.customer
GROUP BY m.month ORDER BY m.month;

-- name: top
-- Top 20 customers by revenue in P, then orders, then customer key (byte order = code point order).
SELECT customer, count(*) AS orders, sum(total) AS revenue
FROM orders
WHERE customer IS NOT NULL AND day >= getvariable('p_start') AND day < getvariable('p_end')
GROUP BY customer
ORDER BY revenue DESC, orders DESC, customer
LIMIT 20;
