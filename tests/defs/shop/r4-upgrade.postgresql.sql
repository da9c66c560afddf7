-- shop r4: an order may name its product.
ALTER TABLE orders ADD COLUMN product_id integer
    CONSTRAINT fk_orders_product REFERENCES products (id) ON DELETE SET NULL;
