CREATE UNIQUE INDEX customer_totals_id ON "Reporting".customer_totals USING btree (id);

CREATE INDEX ledger_amount_idx ON ONLY billing.ledger USING btree (amount);

CREATE INDEX ledger_p0_amount_idx ON billing.ledger_p0 USING btree (amount);

CREATE INDEX ledger_p1_amount_idx ON billing.ledger_p1 USING btree (amount);

CREATE INDEX bookings_during_idx ON public.bookings USING gist (during);

CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id);

CREATE INDEX orders_placed_idx ON public.orders USING btree (placed_at DESC);

CREATE INDEX products_tags_idx ON public.products USING gin (tags);

CREATE INDEX products_title_idx ON public.products USING btree (lower(title));

ALTER INDEX billing.ledger_amount_idx ATTACH PARTITION billing.ledger_p0_amount_idx;

ALTER INDEX billing.ledger_pkey ATTACH PARTITION billing.ledger_p0_pkey;

ALTER INDEX billing.ledger_amount_idx ATTACH PARTITION billing.ledger_p1_amount_idx;

ALTER INDEX billing.ledger_pkey ATTACH PARTITION billing.ledger_p1_pkey;

ALTER INDEX public.events_2024_pkey ATTACH PARTITION public.events_2024_click_pkey;

ALTER INDEX public.events_2024_pkey ATTACH PARTITION public.events_2024_other_pkey;

ALTER INDEX public.events_pkey ATTACH PARTITION public.events_2024_pkey;

ALTER INDEX public.events_pkey ATTACH PARTITION public.events_2025_pkey;

