-- shop r2: products, and a note on every order.
CREATE TABLE products (
    id   integer NOT NULL,
    name text    NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (id)
);
ALTER TABLE orders ADD COLUMN note text NOT NULL DEFAULT '';
