-- The customers whose predictions are compared: every step-th customer in key order (step = customers ÷ sample).
-- name: sample
SELECT customer, x, recency, age, CASE WHEN x > 0 THEN repeat_spend / 100.0 / x END AS mean_spend
FROM (SELECT *, row_number() OVER (ORDER BY customer) - 1 AS k FROM summaries)
WHERE k % getvariable('step') = 0 ORDER BY customer;
-- name: all
SELECT x, recency, age, CASE WHEN x > 0 THEN repeat_spend / 100.0 / x END AS mean_spend FROM summaries;
