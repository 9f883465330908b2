-- A realistic schema for schema-migration tests: a small shop with billing,
-- written to exercise what real PostgreSQL databases contain.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA billing;
CREATE SCHEMA "Reporting";

CREATE TYPE public.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
CREATE TYPE public.address AS (street text, city text, zip varchar(10));
CREATE DOMAIN public.email AS citext CHECK (VALUE ~ '^[^@]+@[^@]+$');
CREATE DOMAIN public.money_amount AS numeric(12,2) CHECK (VALUE >= 0);

CREATE SEQUENCE billing.invoice_no_seq START 1000 INCREMENT 5;
CREATE SEQUENCE public.standalone_seq START 42; -- not owned by any column

CREATE TABLE public.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email public.email NOT NULL UNIQUE,
    name text NOT NULL,
    home public.address,
    prefs hstore,
    api_key text DEFAULT encode(gen_random_bytes(16), 'hex'),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.customers IS 'People who buy things';
COMMENT ON COLUMN public.customers.email IS 'Login e-mail, case-insensitive';

CREATE TABLE public.products (
    sku serial PRIMARY KEY,
    title text NOT NULL,
    price public.money_amount NOT NULL,
    price_with_tax numeric GENERATED ALWAYS AS (price * 1.2) STORED,
    tags text[]
);
CREATE INDEX products_title_idx ON public.products (lower(title));
CREATE INDEX products_tags_idx ON public.products USING gin (tags);

CREATE TABLE public.orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES public.customers(id),
    status public.order_status NOT NULL DEFAULT 'new',
    placed_at timestamptz NOT NULL DEFAULT now(),
    total public.money_amount,
    CONSTRAINT orders_total_check CHECK (total < 1000000)
);
CREATE INDEX orders_customer_idx ON public.orders (customer_id);
CREATE INDEX orders_placed_idx ON public.orders (placed_at DESC);

CREATE TABLE public.order_items (
    order_id bigint REFERENCES public.orders(id) ON DELETE CASCADE,
    sku int REFERENCES public.products(sku),
    qty int NOT NULL CHECK (qty > 0),
    PRIMARY KEY (order_id, sku)
);

-- Deferrable unique constraint and an exclusion constraint with GiST.
CREATE TABLE public.rooms (
    id int PRIMARY KEY,
    code text,
    CONSTRAINT rooms_code_key UNIQUE (code) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE public.bookings (
    id int PRIMARY KEY,
    room_id int NOT NULL REFERENCES public.rooms(id),
    during tstzrange NOT NULL,
    EXCLUDE USING gist (room_id WITH =, during WITH &&)
);
CREATE INDEX bookings_during_idx ON public.bookings USING gist (during);

-- Partitions: range, list, hash, and a two-level tree.
CREATE TABLE public.events (
    id bigint NOT NULL,
    happened date NOT NULL,
    kind text NOT NULL,
    payload jsonb,
    PRIMARY KEY (id, happened, kind)
) PARTITION BY RANGE (happened);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
    PARTITION BY LIST (kind);
CREATE TABLE public.events_2024_click PARTITION OF public.events_2024 FOR VALUES IN ('click');
CREATE TABLE public.events_2024_other PARTITION OF public.events_2024 DEFAULT;
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE billing.ledger (
    account int NOT NULL,
    entry bigint NOT NULL,
    amount numeric NOT NULL,
    PRIMARY KEY (account, entry)
) PARTITION BY HASH (account);
CREATE TABLE billing.ledger_p0 PARTITION OF billing.ledger FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE billing.ledger_p1 PARTITION OF billing.ledger FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX ledger_amount_idx ON billing.ledger (amount);

-- Inheritance.
CREATE TABLE billing.documents (id int PRIMARY KEY, title text);
CREATE TABLE billing.invoices (invoice_no int DEFAULT nextval('billing.invoice_no_seq'), amount numeric) INHERITS (billing.documents);
ALTER SEQUENCE billing.invoice_no_seq OWNED BY billing.invoices.invoice_no;

-- Mixed case and reserved words.
CREATE TABLE "Reporting"."Daily Totals" ("Day" date PRIMARY KEY, "select" numeric, "Order" int);
CREATE TABLE public."user" (id int PRIMARY KEY, "group" text, "from" text);

-- Views and a materialized view.
CREATE VIEW public.paid_orders AS SELECT o.id, o.customer_id, o.total FROM public.orders o WHERE o.status = 'paid';
CREATE MATERIALIZED VIEW "Reporting".customer_totals AS
    SELECT c.id, c.name, coalesce(sum(o.total), 0) AS total FROM public.customers c LEFT JOIN public.orders o ON o.customer_id = c.id GROUP BY c.id, c.name;
CREATE UNIQUE INDEX customer_totals_id ON "Reporting".customer_totals (id);

-- Functions, a procedure, triggers.
CREATE FUNCTION public.order_total(p_order bigint) RETURNS numeric LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(p.price * i.qty), 0) FROM public.order_items i JOIN public.products p USING (sku) WHERE i.order_id = p_order
$$;
CREATE FUNCTION public.touch_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public.orders SET total = public.order_total(NEW.order_id) WHERE id = NEW.order_id;
    RETURN NEW;
END $$;
CREATE TRIGGER order_items_total AFTER INSERT OR UPDATE ON public.order_items FOR EACH ROW EXECUTE FUNCTION public.touch_total();
CREATE PROCEDURE billing.close_month(p_month date) LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "Reporting"."Daily Totals" ("Day", "select") SELECT p_month, sum(amount) FROM billing.ledger ON CONFLICT DO NOTHING;
END $$;

-- Row-level security.
ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_own ON public.orders USING (customer_id = current_setting('app.customer', true)::bigint);

-- Some data.
INSERT INTO public.customers (email, name, home, prefs) SELECT 'c' || g || '@shop.test', 'Customer ' || g, ROW('Main St ' || g, 'Town', '1000' || g % 10)::public.address, 'tier=>gold' FROM generate_series(1, 50) g;
INSERT INTO public.products (title, price, tags) SELECT 'Product ' || g, g * 1.5, ARRAY['t' || g % 3] FROM generate_series(1, 20) g;
INSERT INTO public.orders (customer_id, status, total) SELECT 1 + g % 50, (ARRAY['new','paid','shipped']::public.order_status[])[1 + g % 3], g FROM generate_series(1, 200) g;
INSERT INTO public.order_items SELECT o, 1 + o % 20, 1 + o % 4 FROM generate_series(1, 200) o;
INSERT INTO public.rooms VALUES (1, 'A'), (2, 'B');
INSERT INTO public.bookings VALUES (1, 1, '[2024-01-01, 2024-01-02)'), (2, 1, '[2024-01-02, 2024-01-03)');
INSERT INTO public.events SELECT g, DATE '2024-06-01' + g % 400, (ARRAY['click','view'])[1 + g % 2], jsonb_build_object('n', g) FROM generate_series(1, 500) g;
INSERT INTO billing.ledger SELECT g % 7, g, g / 10.0 FROM generate_series(1, 300) g;
INSERT INTO billing.documents VALUES (1, 'doc');
INSERT INTO billing.invoices (id, title, amount) VALUES (2, 'inv', 10.5);
INSERT INTO "Reporting"."Daily Totals" VALUES ('2024-01-01', 1.5, 3);
INSERT INTO public."user" VALUES (1, 'admins', 'here');
REFRESH MATERIALIZED VIEW "Reporting".customer_totals;
