ALTER TABLE orders DROP COLUMN product_id;
