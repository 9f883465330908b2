CREATE VIEW public.paid_orders AS
 SELECT o.id,
    o.customer_id,
    o.total
   FROM public.orders o
  WHERE (o.status = 'paid'::public.order_status);

