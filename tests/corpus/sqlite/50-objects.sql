-- SQLite objects beyond columns, constraints and indexes: table options
-- (WITHOUT ROWID, STRICT, AUTOINCREMENT), views and triggers. SQLite keeps
-- them only as CREATE text, so most equivalent spellings here are the
-- text written otherwise: keyword and identifier case, quoting, white
-- space and comments, implied clauses (BEFORE, FOR EACH ROW), tables
-- rebuilt the 12-step way.

-- definition: lo_options
CREATE TABLE notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  body TEXT NOT NULL
);
CREATE TABLE kv (
  k TEXT NOT NULL PRIMARY KEY,
  v BLOB
) WITHOUT ROWID, STRICT;
CREATE TABLE plain (
  id INTEGER PRIMARY KEY,
  n INTEGER
);

-- case: lo_opt_same
@definition

-- case: lo_opt_lower_case
create table notes (id integer primary key autoincrement, body text not null);
create table kv (k text not null primary key, v blob) without rowid, strict;
create table plain (id integer primary key, n integer);

-- case: lo_opt_options_swapped
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB) STRICT, WITHOUT ROWID;
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER);

-- case: lo_opt_options_spaced_and_commented
CREATE TABLE notes (id INTEGER PRIMARY KEY /* the rowid */ AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB)
  WITHOUT   -- no rowid
  ROWID ,STRICT;
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER);

-- case: lo_opt_autoincrement_in_table_constraint
CREATE TABLE notes (id INTEGER, body TEXT NOT NULL, PRIMARY KEY (id AUTOINCREMENT));
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB) WITHOUT ROWID, STRICT;
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER);

-- case: lo_opt_quoted_names
CREATE TABLE "notes" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, [body] TEXT NOT NULL);
CREATE TABLE `kv` (`k` TEXT NOT NULL PRIMARY KEY, "v" BLOB) WITHOUT ROWID, STRICT;
CREATE TABLE [plain] ([id] INTEGER PRIMARY KEY, n INTEGER);

-- case: lo_opt_rebuilt_12_step
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
INSERT INTO notes (body) VALUES ('first');
CREATE TABLE notes_new (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
INSERT INTO notes_new (id, body) SELECT id, body FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB);
CREATE TABLE kv_new (k TEXT NOT NULL PRIMARY KEY, v BLOB) WITHOUT ROWID, STRICT;
INSERT INTO kv_new SELECT * FROM kv;
DROP TABLE kv;
ALTER TABLE kv_new RENAME TO kv;
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER);

-- case: lo_opt_without_rowid_dropped
-- expect: kv table_without_rowid
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB) STRICT;
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER);

-- case: lo_opt_both_dropped
-- expect: kv table_strict
-- expect: kv table_without_rowid
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB);
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER);

-- case: lo_opt_strict_added
-- expect: plain table_strict
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB) WITHOUT ROWID, STRICT;
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER) STRICT;

-- case: lo_opt_without_rowid_added
-- expect: plain table_without_rowid
-- expect: plain.id column_nullability
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB) WITHOUT ROWID, STRICT;
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER) WITHOUT ROWID;

-- case: lo_opt_autoincrement_added
-- expect: plain table_autoincrement
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB) WITHOUT ROWID, STRICT;
CREATE TABLE plain (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER);

-- case: lo_opt_autoincrement_dropped_in_rebuild
-- expect: notes table_autoincrement
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE notes_new (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
INSERT INTO notes_new SELECT * FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
CREATE TABLE kv (k TEXT NOT NULL PRIMARY KEY, v BLOB) WITHOUT ROWID, STRICT;
CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER);

-- definition: lo_views
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE VIEW active_items AS SELECT id, name, price FROM items WHERE active = 1;
CREATE VIEW item_names (item_id, item_name) AS SELECT id, name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'Free' OR price = 0;

-- case: lv_same
@definition

-- case: lv_keyword_case
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
create view active_items as select id, name, price from items where active = 1;
create view item_names (item_id, item_name) as select id, name from items;
create view free_items as select id from items where name = 'Free' or price = 0;

-- case: lv_identifier_case
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW Active_Items AS SELECT ID, Name, PRICE FROM Items WHERE ACTIVE = 1;
CREATE VIEW ITEM_NAMES (Item_Id, ITEM_NAME) AS SELECT id, name FROM ITEMS;
CREATE VIEW free_items AS SELECT Id FROM items WHERE Name = 'Free' OR Price = 0;

-- case: lv_whitespace_and_comments
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_items AS
  -- what the shop shows
  SELECT id,
         name,
         price   /* in cents */
    FROM items
   WHERE active=1;
CREATE VIEW item_names(item_id,item_name) AS SELECT id,name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name='Free' OR price=0;

-- case: lv_quoted_identifiers
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW "active_items" AS SELECT "id", [name], `price` FROM "items" WHERE "active" = 1;
CREATE VIEW [item_names] ("item_id", `item_name`) AS SELECT "id", "name" FROM items;
CREATE VIEW `free_items` AS SELECT [id] FROM [items] WHERE [name] = 'Free' OR "price" = 0;

-- case: lv_recreated_after_table_rebuild
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL);
CREATE VIEW active_items AS SELECT id, name, price FROM items;
DROP VIEW active_items;
CREATE TABLE items_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
INSERT INTO items_new (id, name, price) SELECT id, name, price FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
CREATE VIEW active_items AS SELECT id, name, price FROM items WHERE active = 1;
CREATE VIEW item_names (item_id, item_name) AS SELECT id, name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'Free' OR price = 0;

-- case: lv_extra_view_not_in_definition
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_items AS SELECT id, name, price FROM items WHERE active = 1;
CREATE VIEW item_names (item_id, item_name) AS SELECT id, name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'Free' OR price = 0;
CREATE VIEW cheap_items AS SELECT id FROM items WHERE price < 100;

-- case: lv_missing
-- expect: active_items missing_view
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW item_names (item_id, item_name) AS SELECT id, name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'Free' OR price = 0;

-- case: lv_filter_changed
-- expect: active_items view_changed
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_items AS SELECT id, name, price FROM items WHERE active = 0;
CREATE VIEW item_names (item_id, item_name) AS SELECT id, name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'Free' OR price = 0;

-- case: lv_column_dropped_from_query
-- expect: active_items view_changed
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_items AS SELECT id, name FROM items WHERE active = 1;
CREATE VIEW item_names (item_id, item_name) AS SELECT id, name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'Free' OR price = 0;

-- case: lv_string_case_counts
-- expect: free_items view_changed
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_items AS SELECT id, name, price FROM items WHERE active = 1;
CREATE VIEW item_names (item_id, item_name) AS SELECT id, name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'FREE' OR price = 0;

-- case: lv_column_names_changed
-- expect: item_names view_changed
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_items AS SELECT id, name, price FROM items WHERE active = 1;
CREATE VIEW item_names (id, label) AS SELECT id, name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'Free' OR price = 0;

-- case: lv_column_list_as_aliases
-- expect: item_names view_changed
-- expect: item_names view_changed
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_items AS SELECT id, name, price FROM items WHERE active = 1;
CREATE VIEW item_names AS SELECT id AS item_id, name AS item_name FROM items;
CREATE VIEW free_items AS SELECT id FROM items WHERE name = 'Free' OR price = 0;

-- case: lv_replaced_by_table
-- expect: free_items missing_view
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_items AS SELECT id, name, price FROM items WHERE active = 1;
CREATE VIEW item_names (item_id, item_name) AS SELECT id, name FROM items;
CREATE TABLE free_items (id INTEGER);

-- case: lv_extra_view_scope_schema
-- scope: schema
-- expect: cheap_items extra_view
@definition
CREATE VIEW cheap_items AS SELECT id FROM items WHERE price < 100;

-- definition: lo_triggers
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new',
  updated_at TEXT
);
CREATE TABLE order_log (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL,
  what TEXT NOT NULL
);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_same
@definition

-- case: lg_one_line_each
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty,status ON orders FOR EACH ROW WHEN new.qty<>old.qty OR new.status<>old.status BEGIN UPDATE orders SET updated_at=datetime('now') WHERE id=new.id; END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders BEGIN INSERT INTO order_log(order_id,what) VALUES(new.id,'insert'); END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders WHEN old.status='shipped' BEGIN SELECT RAISE(ABORT,'shipped orders stay'); END;

-- case: lg_keyword_case
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
create trigger orders_touch after update of qty, status on orders
for each row when new.qty <> old.qty or new.status <> old.status
begin
  update orders set updated_at = DATETIME('now') where id = new.id;
end;
create trigger orders_log_insert after insert on orders
begin
  insert into order_log (order_id, what) values (new.id, 'insert');
end;
create trigger orders_keep_shipped before delete on orders
when old.status = 'shipped'
begin
  select raise(abort, 'shipped orders stay');
end;

-- case: lg_identifier_case_and_quotes
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER "Orders_Touch" AFTER UPDATE OF "QTY", [Status] ON "orders"
FOR EACH ROW WHEN NEW.qty <> OLD.qty OR NEW."status" <> OLD.status
BEGIN
  UPDATE "orders" SET "updated_at" = datetime('now') WHERE "id" = NEW.id;
END;
CREATE TRIGGER ORDERS_LOG_INSERT AFTER INSERT ON Orders
BEGIN
  INSERT INTO [order_log] (Order_Id, WHAT) VALUES (NEW.ID, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN OLD.Status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_comments_in_body
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  -- stamp the change
  UPDATE orders SET updated_at = datetime('now') /* UTC */ WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) -- one row per order
  VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_implied_clauses_written
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders FOR EACH ROW
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_update_of_reordered_and_when_parenthesized
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF status, qty ON orders
FOR EACH ROW WHEN (new.qty <> old.qty) OR (new.status <> old.status)
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN (old.status = 'shipped')
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_recreated_with_table_rebuild
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, status TEXT NOT NULL);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
INSERT INTO orders (qty, status) VALUES (1, 'new');
CREATE TABLE orders_new (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
INSERT INTO orders_new (id, qty, status) SELECT id, qty, status FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_trigger_of_other_table_not_in_definition
@definition
CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT);
CREATE TRIGGER audit_stamp AFTER INSERT ON audit BEGIN UPDATE audit SET at = 'x'; END;

-- case: lg_missing
-- expect: orders.orders_log_insert missing_trigger
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_extra_on_a_table_of_the_definition
-- expect: order_log.order_log_no_update extra_trigger
@definition
CREATE TRIGGER order_log_no_update BEFORE UPDATE ON order_log
BEGIN
  SELECT RAISE(ABORT, 'the log is append-only');
END;

-- case: lg_renamed
-- expect: orders.orders_keep_shipped missing_trigger
-- expect: orders.orders_no_delete_shipped extra_trigger
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_no_delete_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_timing_changed
-- expect: orders.orders_log_insert trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert BEFORE INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_event_changed
-- expect: orders.orders_log_insert trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER UPDATE ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_update_of_column_dropped
-- expect: orders.orders_touch trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_update_of_any_column
-- expect: orders.orders_touch trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_when_changed
-- expect: orders.orders_touch trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty > old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_when_dropped
-- expect: orders.orders_keep_shipped trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_body_string_changed
-- expect: orders.orders_log_insert trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'INSERT');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_body_statement_added
-- expect: orders.orders_touch trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'update');
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped BEFORE DELETE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_timing_and_event_changed
-- expect: orders.orders_keep_shipped trigger_changed
-- expect: orders.orders_keep_shipped trigger_changed
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new', updated_at TEXT);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER orders_touch AFTER UPDATE OF qty, status ON orders
FOR EACH ROW WHEN new.qty <> old.qty OR new.status <> old.status
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = new.id;
END;
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders
BEGIN
  INSERT INTO order_log (order_id, what) VALUES (new.id, 'insert');
END;
CREATE TRIGGER orders_keep_shipped AFTER UPDATE ON orders
WHEN old.status = 'shipped'
BEGIN
  SELECT RAISE(ABORT, 'shipped orders stay');
END;

-- case: lg_table_missing
-- expect: orders missing_table
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, what TEXT NOT NULL);

-- definition: lo_view_triggers
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW people_v AS SELECT id, name FROM people;
CREATE TRIGGER people_v_insert INSTEAD OF INSERT ON people_v
BEGIN
  INSERT INTO people (name) VALUES (new.name);
END;

-- case: lvt_same
@definition

-- case: lvt_other_spelling
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
create view People_V as select ID, NAME from PEOPLE;
create trigger people_v_insert instead of insert on people_v for each row begin insert into people(name) values(NEW.name); end;

-- case: lvt_trigger_missing
-- expect: people_v.people_v_insert missing_trigger
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW people_v AS SELECT id, name FROM people;

-- case: lvt_trigger_extra
-- expect: people_v.people_v_delete extra_trigger
@definition
CREATE TRIGGER people_v_delete INSTEAD OF DELETE ON people_v
BEGIN
  DELETE FROM people WHERE id = old.id;
END;

-- case: lvt_event_changed
-- expect: people_v.people_v_insert trigger_changed
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW people_v AS SELECT id, name FROM people;
CREATE TRIGGER people_v_insert INSTEAD OF UPDATE ON people_v
BEGIN
  INSERT INTO people (name) VALUES (new.name);
END;

-- case: lvt_view_missing
-- expect: people_v missing_view
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
