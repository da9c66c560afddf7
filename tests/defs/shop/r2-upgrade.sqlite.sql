-- shop r2: products, and a note on every order.
CREATE TABLE products (
    id   INTEGER NOT NULL,
    name TEXT    NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id)
);
ALTER TABLE orders ADD COLUMN note TEXT NOT NULL DEFAULT '';
