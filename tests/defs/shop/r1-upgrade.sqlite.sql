-- shop r1: customers and their orders.
CREATE TABLE customers (
    id    INTEGER NOT NULL,
    email TEXT    NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE orders (
    id          INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open',
    created_at  TEXT    NOT NULL DEFAULT (datetime('now')),
    deleted_at  TEXT,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT ck_orders_status CHECK (status IN ('open', 'paid'))
);

-- open orders of a customer
CREATE INDEX ix_orders_open ON orders (customer_id) WHERE status = 'open';
