COMMENT ON SCHEMA public IS 'standard public schema';

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

COMMENT ON EXTENSION hstore IS 'data type for storing sets of (key, value) pairs';

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

COMMENT ON TABLE public.customers IS 'People who buy things';

COMMENT ON COLUMN public.customers.email IS 'Login e-mail, case-insensitive';

