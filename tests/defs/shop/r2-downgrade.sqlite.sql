ALTER TABLE orders DROP COLUMN note;
DROP TABLE products;
