CREATE TRIGGER order_items_total AFTER INSERT OR UPDATE ON public.order_items FOR EACH ROW EXECUTE FUNCTION public.touch_total();

