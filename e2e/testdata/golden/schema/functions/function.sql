CREATE FUNCTION public.order_total(p_order bigint) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(sum(p.price * i.qty), 0) FROM public.order_items i JOIN public.products p USING (sku) WHERE i.order_id = p_order
$$;

CREATE FUNCTION public.touch_total() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE public.orders SET total = public.order_total(NEW.order_id) WHERE id = NEW.order_id;
    RETURN NEW;
END $$;

