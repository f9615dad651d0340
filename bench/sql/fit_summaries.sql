-- Per-customer inputs of the predictive models as of D (METRICS.md, "Predictive models"; docs/predictive.md):
-- purchase days = shop days with an identified order up to D; frequency x = purchase days − 1; recency = last −
-- first purchase day; T = D − first purchase day (days); repeat spend = the gross totals of the purchase days
-- after the first. Then grouped by (x, recency, T) for the BG/NBD likelihood, as lifetimes' weights do.
-- name: summaries
CREATE OR REPLACE TEMP TABLE summaries AS
WITH days AS (
    SELECT customer, day, sum(total) AS value FROM orders
    WHERE customer IS NOT NULL AND day <= getvariable('as_of') GROUP BY customer, day),
c AS (
    SELECT customer, count(*) - 1 AS x, min(day) AS first_day, max(day) AS last_day,
           sum(value) - arg_min(value, day) AS repeat_spend
    FROM days GROUP BY customer)
SELECT customer, x, last_day - first_day AS recency, getvariable('as_of') - first_day AS age, repeat_spend FROM c;
-- name: totals
SELECT count(*) AS customers, count(*) FILTER (WHERE x > 0) AS repeat_customers, sum(x) AS sum_frequency,
       sum(recency) AS sum_recency_days, sum(age) AS sum_T_days, sum(repeat_spend) AS sum_repeat_spend
FROM summaries;
-- name: grouped
SELECT x, recency, age, count(*) AS weight FROM summaries GROUP BY ALL;
-- name: spend
SELECT x, repeat_spend / 100.0 / x AS mean_spend FROM summaries WHERE x > 0;
