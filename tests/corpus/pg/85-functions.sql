-- Functions and procedures: matched by name and argument types
-- ("add_tax(numeric, numeric)"), compared by their return type, argument
-- list (names, modes, defaults), language, volatility, STRICT, SECURITY
-- DEFINER, PARALLEL, LEAKPROOF, SET configuration and body. A body written
-- as a string is compared with comments and insignificant white space
-- removed; an SQL-standard body (RETURN, BEGIN ATOMIC) as the server
-- deparses it, without the schema's qualification.

-- definition: fn_base
CREATE TABLE orders (id integer PRIMARY KEY, total numeric NOT NULL DEFAULT 0, status text NOT NULL DEFAULT 'new');
CREATE FUNCTION order_total(p_id integer) RETURNS numeric LANGUAGE sql STABLE
AS $$ SELECT total FROM orders WHERE id = p_id $$;
CREATE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
  -- the rate is a fraction
  RETURN amount * (1 + rate);
END
$$;
CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE
RETURN (SELECT count(*) FROM orders WHERE status <> 'closed');
CREATE PROCEDURE close_order(p_id integer) LANGUAGE sql
BEGIN ATOMIC
  UPDATE orders SET status = 'closed' WHERE id = p_id;
END;
CREATE FUNCTION purge_secrets() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ BEGIN PERFORM 1; END $$;

-- case: fn_same
@definition

-- case: fn_body_reindented_commented
CREATE TABLE orders (id integer PRIMARY KEY, total numeric NOT NULL DEFAULT 0, status text NOT NULL DEFAULT 'new');
CREATE FUNCTION order_total(p_id integer) RETURNS numeric LANGUAGE sql STABLE
AS $$ SELECT total FROM orders WHERE id = p_id $$;
CREATE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $body$
    BEGIN   /* tax included */
        RETURN   amount * (1 + rate);    -- always
    END
$body$;
CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE
RETURN (SELECT count(*) FROM orders WHERE status <> 'closed');
CREATE PROCEDURE close_order(p_id integer) LANGUAGE sql
BEGIN ATOMIC
  UPDATE orders SET status = 'closed' WHERE id = p_id;
END;
CREATE FUNCTION purge_secrets() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ BEGIN PERFORM 1; END $$;

-- case: fn_create_or_replace_same
@definition
CREATE OR REPLACE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
  -- the rate is a fraction
  RETURN amount * (1 + rate);
END
$$;
CREATE OR REPLACE PROCEDURE close_order(p_id integer) LANGUAGE sql
BEGIN ATOMIC
  UPDATE orders SET status = 'closed' WHERE id = p_id;
END;

-- case: fn_options_other_spellings
CREATE TABLE orders (id integer PRIMARY KEY, total numeric NOT NULL DEFAULT 0, status text NOT NULL DEFAULT 'new');
CREATE FUNCTION order_total(p_id integer) RETURNS numeric STABLE CALLED ON NULL INPUT LANGUAGE 'sql'
AS 'SELECT total FROM orders WHERE id = p_id';
CREATE FUNCTION add_tax(amount numeric, rate numeric = 0.2) RETURNS numeric
PARALLEL SAFE RETURNS NULL ON NULL INPUT IMMUTABLE LANGUAGE plpgsql
AS $$
BEGIN
  -- the rate is a fraction
  RETURN amount * (1 + rate);
END
$$;
CREATE FUNCTION order_count() RETURNS int8 STABLE LANGUAGE sql
RETURN (select COUNT(*) from ORDERS where (STATUS <> 'closed'));
CREATE PROCEDURE close_order(p_id int4) LANGUAGE sql
BEGIN ATOMIC
  update ORDERS set STATUS = 'closed' where (ID = P_ID);
END;
CREATE FUNCTION purge_secrets() RETURNS void EXTERNAL SECURITY DEFINER LANGUAGE plpgsql
SET search_path TO pg_catalog, pg_temp
AS $$ BEGIN PERFORM 1; END $$;

-- case: fn_altered_and_back
@definition
ALTER FUNCTION add_tax(numeric, numeric) VOLATILE CALLED ON NULL INPUT;
ALTER FUNCTION add_tax(numeric, numeric) IMMUTABLE STRICT;
ALTER FUNCTION purge_secrets() RESET search_path;
ALTER FUNCTION purge_secrets() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION order_total RENAME TO order_total_old;
ALTER FUNCTION order_total_old RENAME TO order_total;

-- case: fn_sql_body_qualified
@definition
CREATE OR REPLACE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE
RETURN (SELECT count(*) FROM c_fn_sql_body_qualified.orders WHERE orders.status <> 'closed');

-- case: fn_sql_body_operator_spelled
@definition
CREATE OR REPLACE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE
RETURN (SELECT count(*) FROM orders WHERE orders.status != 'closed'::text);

-- case: fn_body_changed
-- expect: add_tax(numeric, numeric) function_changed
@definition
CREATE OR REPLACE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
  RETURN round(amount * (1 + rate), 2);
END
$$;

-- case: fn_sql_body_changed
-- expect: order_count() function_changed
@definition
CREATE OR REPLACE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE
RETURN (SELECT count(*) FROM orders);

-- case: fn_body_condition_added
-- expect: order_total(integer) function_changed
@definition
CREATE OR REPLACE FUNCTION order_total(p_id integer) RETURNS numeric LANGUAGE sql STABLE
AS $$ SELECT total FROM orders WHERE id = p_id AND status = 'new  ' $$;

-- case: fn_volatility_changed
-- expect: order_total(integer) function_changed
@definition
ALTER FUNCTION order_total(integer) VOLATILE;

-- case: fn_strict_dropped
-- expect: add_tax(numeric, numeric) function_changed
@definition
ALTER FUNCTION add_tax(numeric, numeric) CALLED ON NULL INPUT;

-- case: fn_parallel_dropped
-- expect: add_tax(numeric, numeric) function_changed
@definition
ALTER FUNCTION add_tax(numeric, numeric) PARALLEL UNSAFE;

-- case: fn_security_invoker
-- expect: purge_secrets() function_changed
@definition
ALTER FUNCTION purge_secrets() SECURITY INVOKER;

-- case: fn_config_changed
-- expect: purge_secrets() function_changed
@definition
ALTER FUNCTION purge_secrets() SET search_path = public;

-- case: fn_default_changed
-- expect: add_tax(numeric, numeric) function_changed
@definition
CREATE OR REPLACE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.25) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
  -- the rate is a fraction
  RETURN amount * (1 + rate);
END
$$;

-- case: fn_returns_changed
-- expect: add_tax(numeric, numeric) function_changed
@definition
DROP FUNCTION add_tax(numeric, numeric);
CREATE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
  -- the rate is a fraction
  RETURN amount * (1 + rate);
END
$$;

-- case: fn_missing
-- expect: order_count() missing_function
@definition
DROP FUNCTION order_count();

-- case: fn_overload_extra
-- expect: add_tax(integer) extra_function
@definition
CREATE FUNCTION add_tax(amount integer) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN amount * 1.2;

-- case: fn_argument_type_changed
-- expect: add_tax(numeric, numeric) missing_function
-- expect: add_tax(double precision, numeric) extra_function
@definition
DROP FUNCTION add_tax(numeric, numeric);
CREATE FUNCTION add_tax(amount double precision, rate numeric DEFAULT 0.2) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
  -- the rate is a fraction
  RETURN amount * (1 + rate);
END
$$;

-- case: fn_procedure_as_function
-- expect: close_order(integer) missing_procedure
-- expect: close_order(integer) extra_function
@definition
DROP PROCEDURE close_order(integer);
CREATE FUNCTION close_order(p_id integer) RETURNS void LANGUAGE sql
BEGIN ATOMIC
  UPDATE orders SET status = 'closed' WHERE id = p_id;
END;

-- case: fn_procedure_body_changed
-- expect: close_order(integer) procedure_changed
@definition
CREATE OR REPLACE PROCEDURE close_order(p_id integer) LANGUAGE sql
BEGIN ATOMIC
  UPDATE orders SET status = 'done' WHERE id = p_id;
END;

-- case: fn_aggregate_not_a_function
@definition
CREATE AGGREGATE add_tax(numeric) (SFUNC = numeric_add, STYPE = numeric);
