-- shop r1: customers and their orders.
CREATE TABLE customers (
    id    integer NOT NULL,
    email text    NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE orders (
    id          integer NOT NULL,
    customer_id integer NOT NULL,
    status      text    NOT NULL DEFAULT 'open',
    created_at  timestamp with time zone NOT NULL DEFAULT now(),
    deleted_at  timestamp with time zone,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT ck_orders_status CHECK (status IN ('open', 'paid'))
);

-- open orders of a customer
CREATE INDEX ix_orders_open ON orders (customer_id) WHERE status = 'open';
