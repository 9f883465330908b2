CREATE TABLE "Reporting"."Daily Totals" (
    "Day" date NOT NULL,
    "select" numeric,
    "Order" integer
);

CREATE TABLE public.customers (
    id bigint NOT NULL,
    email public.email NOT NULL,
    name text NOT NULL,
    home public.address,
    prefs public.hstore,
    api_key text DEFAULT encode(public.gen_random_bytes(16), 'hex'::text),
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    status public.order_status DEFAULT 'new'::public.order_status NOT NULL,
    placed_at timestamp with time zone DEFAULT now() NOT NULL,
    total public.money_amount,
    CONSTRAINT orders_total_check CHECK (((total)::numeric < (1000000)::numeric))
);

CREATE TABLE billing.documents (
    id integer NOT NULL,
    title text
);

CREATE TABLE billing.invoices (
    invoice_no integer,
    amount numeric
)
INHERITS (billing.documents);

CREATE TABLE billing.ledger (
    account integer NOT NULL,
    entry bigint NOT NULL,
    amount numeric NOT NULL
)
PARTITION BY HASH (account);

CREATE TABLE billing.ledger_p0 (
    account integer NOT NULL,
    entry bigint NOT NULL,
    amount numeric NOT NULL
);

CREATE TABLE billing.ledger_p1 (
    account integer NOT NULL,
    entry bigint NOT NULL,
    amount numeric NOT NULL
);

CREATE TABLE public.bookings (
    id integer NOT NULL,
    room_id integer NOT NULL,
    during tstzrange NOT NULL
);

ALTER TABLE public.customers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.customers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.events (
    id bigint NOT NULL,
    happened date NOT NULL,
    kind text NOT NULL,
    payload jsonb
)
PARTITION BY RANGE (happened);

CREATE TABLE public.events_2024 (
    id bigint NOT NULL,
    happened date NOT NULL,
    kind text NOT NULL,
    payload jsonb
)
PARTITION BY LIST (kind);

CREATE TABLE public.events_2024_click (
    id bigint NOT NULL,
    happened date NOT NULL,
    kind text NOT NULL,
    payload jsonb
);

CREATE TABLE public.events_2024_other (
    id bigint NOT NULL,
    happened date NOT NULL,
    kind text NOT NULL,
    payload jsonb
);

CREATE TABLE public.events_2025 (
    id bigint NOT NULL,
    happened date NOT NULL,
    kind text NOT NULL,
    payload jsonb
);

CREATE TABLE public.order_items (
    order_id bigint NOT NULL,
    sku integer NOT NULL,
    qty integer NOT NULL,
    CONSTRAINT order_items_qty_check CHECK ((qty > 0))
);

CREATE TABLE public.products (
    sku integer NOT NULL,
    title text NOT NULL,
    price public.money_amount NOT NULL,
    price_with_tax numeric GENERATED ALWAYS AS (((price)::numeric * 1.2)) STORED,
    tags text[]
);

CREATE TABLE public.rooms (
    id integer NOT NULL,
    code text
);

CREATE TABLE public."user" (
    id integer NOT NULL,
    "group" text,
    "from" text
);

ALTER TABLE ONLY billing.invoices ALTER COLUMN invoice_no SET DEFAULT nextval('billing.invoice_no_seq'::regclass);

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);

ALTER TABLE ONLY public.products ALTER COLUMN sku SET DEFAULT nextval('public.products_sku_seq'::regclass);

ALTER TABLE ONLY "Reporting"."Daily Totals"
    ADD CONSTRAINT "Daily Totals_pkey" PRIMARY KEY ("Day");

ALTER TABLE ONLY billing.documents
    ADD CONSTRAINT documents_pkey PRIMARY KEY (id);

ALTER TABLE ONLY billing.ledger
    ADD CONSTRAINT ledger_pkey PRIMARY KEY (account, entry);

ALTER TABLE ONLY billing.ledger_p0
    ADD CONSTRAINT ledger_p0_pkey PRIMARY KEY (account, entry);

ALTER TABLE ONLY billing.ledger_p1
    ADD CONSTRAINT ledger_p1_pkey PRIMARY KEY (account, entry);

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_room_id_during_excl EXCLUDE USING gist (room_id WITH =, during WITH &&);

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_email_key UNIQUE (email);

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, happened, kind);

ALTER TABLE ONLY public.events_2024
    ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, happened, kind);

ALTER TABLE ONLY public.events_2024_click
    ADD CONSTRAINT events_2024_click_pkey PRIMARY KEY (id, happened, kind);

ALTER TABLE ONLY public.events_2024_other
    ADD CONSTRAINT events_2024_other_pkey PRIMARY KEY (id, happened, kind);

ALTER TABLE ONLY public.events_2025
    ADD CONSTRAINT events_2025_pkey PRIMARY KEY (id, happened, kind);

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_pkey PRIMARY KEY (order_id, sku);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.products
    ADD CONSTRAINT products_pkey PRIMARY KEY (sku);

ALTER TABLE ONLY public.rooms
    ADD CONSTRAINT rooms_code_key UNIQUE (code) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY public.rooms
    ADD CONSTRAINT rooms_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public."user"
    ADD CONSTRAINT user_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_room_id_fkey FOREIGN KEY (room_id) REFERENCES public.rooms(id);

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_sku_fkey FOREIGN KEY (sku) REFERENCES public.products(sku);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);

