ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;

CREATE POLICY orders_own ON public.orders USING ((customer_id = (current_setting('app.customer'::text, true))::bigint));

