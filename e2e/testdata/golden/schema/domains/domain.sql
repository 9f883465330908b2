CREATE DOMAIN public.email AS public.citext
	CONSTRAINT email_check CHECK ((VALUE OPERATOR(public.~) '^[^@]+@[^@]+$'::public.citext));

CREATE DOMAIN public.money_amount AS numeric(12,2)
	CONSTRAINT money_amount_check CHECK ((VALUE >= (0)::numeric));

