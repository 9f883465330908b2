CREATE MATERIALIZED VIEW "Reporting".customer_totals AS
 SELECT c.id,
    c.name,
    COALESCE(sum((o.total)::numeric), (0)::numeric) AS total
   FROM (public.customers c
     LEFT JOIN public.orders o ON ((o.customer_id = c.id)))
  GROUP BY c.id, c.name
  WITH NO DATA;

