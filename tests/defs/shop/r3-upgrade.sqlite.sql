-- shop r3: "open" now means "not deleted".
DROP INDEX ix_orders_open;
CREATE INDEX ix_orders_open ON orders (customer_id) WHERE deleted_at IS NULL;
