-- Monthly cohorts as of D (METRICS.md, "Cohorts and RFM"; docs/retention.md): a customer's cohort is the shop
-- month of their first order up to D; for the 36 cohorts ending with D's month and every month offset k up to
-- D's month, the cohort customers with an order in month cohort + k and the revenue of those orders.
-- name: cells
WITH o AS (
    SELECT customer, date_trunc('month', day) AS month, total
    FROM orders WHERE customer IS NOT NULL AND day <= getvariable('as_of')),
cohort AS (SELECT customer, min(month) AS cohort FROM o GROUP BY customer),
shown AS (
    SELECT * FROM cohort
    WHERE cohort > date_trunc('month', getvariable('as_of')) - INTERVAL 36 MONTH),
months AS (
    SELECT unnest(generate_series(date_trunc('month', getvariable('as_of')) - INTERVAL 35 MONTH,
                                  date_trunc('month', getvariable('as_of')), INTERVAL 1 MONTH))::DATE AS cohort),
sizes AS (SELECT m.cohort, count(s.customer) AS customers FROM months m LEFT JOIN shown s ON s.cohort = m.cohort GROUP BY m.cohort),
activity AS (
    SELECT s.cohort, datediff('month', s.cohort, o.month) AS k,
           count(DISTINCT o.customer) AS active, sum(o.total) AS revenue
    FROM o JOIN shown s USING (customer)
    GROUP BY ALL),
grid AS (
    SELECT z.cohort, z.customers, unnest(range(0, datediff('month', z.cohort, date_trunc('month', getvariable('as_of'))) + 1)) AS k
    FROM sizes z)
SELECT strftime(g.cohort, '%Y-%m') AS label, g.customers,
       list(coalesce(a.active, 0) ORDER BY g.k) AS active,
       list(coalesce(a.revenue, 0) ORDER BY g.k) AS revenue
FROM grid g LEFT JOIN activity a ON a.cohort = g.cohort AND a.k = g.k
GROUP BY g.cohort, g.customers
ORDER BY g.cohort;
