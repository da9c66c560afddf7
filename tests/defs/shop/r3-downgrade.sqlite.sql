DROP INDEX ix_orders_open;
CREATE INDEX ix_orders_open ON orders (customer_id) WHERE status = 'open';
