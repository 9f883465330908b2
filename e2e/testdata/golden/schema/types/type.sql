CREATE TYPE public.address AS (
	street text,
	city text,
	zip character varying(10)
);

CREATE TYPE public.order_status AS ENUM (
    'new',
    'paid',
    'shipped',
    'cancelled'
);

