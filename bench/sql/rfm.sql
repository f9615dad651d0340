-- RFM as of D (METRICS.md, "Cohorts and RFM"; docs/retention.md): recency = D − last order day, frequency =
-- orders, monetary = revenue, over orders up to D; each scored 1 + ⌊5a ÷ n⌋ where a = customers strictly worse
-- (recency: larger is worse; frequency and monetary: smaller is worse). Counted per (R, F, M) cell.
-- name: cells
WITH c AS (
    SELECT customer, getvariable('as_of') - max(day) AS recency, count(*) AS frequency, sum(total) AS monetary
    FROM orders WHERE customer IS NOT NULL AND day <= getvariable('as_of') GROUP BY customer),
scored AS (
    SELECT 1 + (5 * (rank() OVER (ORDER BY recency DESC) - 1)) // count(*) OVER () AS r,
           1 + (5 * (rank() OVER (ORDER BY frequency) - 1)) // count(*) OVER () AS f,
           1 + (5 * (rank() OVER (ORDER BY monetary) - 1)) // count(*) OVER () AS m
    FROM c)
SELECT r, f, m, count(*) AS customers FROM scored GROUP BY ALL ORDER BY ALL;
