-- NOT VALID (a CHECK or foreign key whose existing rows were never checked)
-- and UNIQUE ... DEFERRABLE on PostgreSQL: constraint_not_valid and
-- unique_deferrable. Validating a NOT VALID constraint later makes it the
-- same as one added valid.

-- definition: cv_base
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL,
  CONSTRAINT accounts_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE transfers (
  id integer PRIMARY KEY,
  src integer NOT NULL,
  dst integer NOT NULL,
  amount numeric(12,2) NOT NULL,
  seq integer NOT NULL,
  CONSTRAINT transfers_seq_key UNIQUE (seq),
  CONSTRAINT fk_transfers_src FOREIGN KEY (src) REFERENCES accounts (id),
  CONSTRAINT ck_transfers_amount CHECK (amount > 0)
);
ALTER TABLE transfers ADD CONSTRAINT fk_transfers_dst FOREIGN KEY (dst) REFERENCES accounts (id) NOT VALID;
ALTER TABLE transfers ADD CONSTRAINT ck_transfers_distinct CHECK (src <> dst) NOT VALID;

-- case: cv_same
@definition

-- case: cv_validated_later
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL,
  CONSTRAINT accounts_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE transfers (id integer PRIMARY KEY, src integer NOT NULL, dst integer NOT NULL,
  amount numeric(12,2) NOT NULL, seq integer NOT NULL,
  CONSTRAINT transfers_seq_key UNIQUE (seq));
ALTER TABLE transfers ADD CONSTRAINT ck_transfers_distinct CHECK (src <> dst) NOT VALID,
  ADD CONSTRAINT fk_transfers_dst FOREIGN KEY (dst) REFERENCES accounts (id) NOT VALID;
ALTER TABLE transfers ADD CONSTRAINT fk_transfers_src FOREIGN KEY (src) REFERENCES accounts (id) NOT VALID;
ALTER TABLE transfers ADD CONSTRAINT ck_transfers_amount CHECK (amount > 0) NOT VALID;
ALTER TABLE transfers VALIDATE CONSTRAINT fk_transfers_src;
ALTER TABLE transfers VALIDATE CONSTRAINT ck_transfers_amount;

-- case: cv_not_valid_in_create_table_is_valid
-- expect: transfers.ck_transfers_distinct constraint_not_valid
-- expect: transfers.fk_transfers_dst constraint_not_valid
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL,
  CONSTRAINT accounts_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE transfers (id integer PRIMARY KEY, src integer NOT NULL, dst integer NOT NULL,
  amount numeric(12,2) NOT NULL, seq integer NOT NULL,
  CONSTRAINT transfers_seq_key UNIQUE (seq),
  CONSTRAINT fk_transfers_src FOREIGN KEY (src) REFERENCES accounts (id),
  CONSTRAINT ck_transfers_amount CHECK (amount > 0),
  CONSTRAINT fk_transfers_dst FOREIGN KEY (dst) REFERENCES accounts (id) NOT VALID,
  CONSTRAINT ck_transfers_distinct CHECK (src <> dst) NOT VALID);

-- case: cv_deferrable_spelled
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL);
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email) INITIALLY DEFERRED;
CREATE TABLE transfers (id integer PRIMARY KEY, src integer NOT NULL, dst integer NOT NULL,
  amount numeric(12,2) NOT NULL, seq integer NOT NULL CONSTRAINT transfers_seq_key UNIQUE NOT DEFERRABLE,
  CONSTRAINT fk_transfers_src FOREIGN KEY (src) REFERENCES accounts (id),
  CONSTRAINT ck_transfers_amount CHECK (amount > 0));
ALTER TABLE transfers ADD CONSTRAINT fk_transfers_dst FOREIGN KEY (dst) REFERENCES accounts (id) NOT VALID;
ALTER TABLE transfers ADD CONSTRAINT ck_transfers_distinct CHECK (src <> dst) NOT VALID;

-- case: cv_fk_validated
-- expect: transfers.fk_transfers_dst constraint_not_valid
@definition
ALTER TABLE transfers VALIDATE CONSTRAINT fk_transfers_dst;

-- case: cv_check_validated
-- expect: transfers.ck_transfers_distinct constraint_not_valid
@definition
ALTER TABLE transfers VALIDATE CONSTRAINT ck_transfers_distinct;

-- case: cv_fk_not_valid
-- expect: transfers.fk_transfers_src constraint_not_valid
@definition
ALTER TABLE transfers DROP CONSTRAINT fk_transfers_src;
ALTER TABLE transfers ADD CONSTRAINT fk_transfers_src FOREIGN KEY (src) REFERENCES accounts (id) NOT VALID;

-- case: cv_check_not_valid_and_changed
-- expect: transfers.ck_transfers_amount check_expression
-- expect: transfers.ck_transfers_amount constraint_not_valid
@definition
ALTER TABLE transfers DROP CONSTRAINT ck_transfers_amount;
ALTER TABLE transfers ADD CONSTRAINT ck_transfers_amount CHECK (amount >= 0) NOT VALID;

-- case: cv_check_not_valid_renamed
-- expect: transfers.ck_transfers_amount missing_check
-- expect: transfers.ck_amount_positive extra_check
@definition
ALTER TABLE transfers DROP CONSTRAINT ck_transfers_amount;
ALTER TABLE transfers ADD CONSTRAINT ck_amount_positive CHECK (amount > 0) NOT VALID;

-- case: cv_unique_not_deferrable
-- expect: accounts.accounts_email_key unique_deferrable
@definition
ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);

-- case: cv_unique_initially_immediate
-- expect: accounts.accounts_email_key unique_deferrable
@definition
ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email) DEFERRABLE;

-- case: cv_unique_made_deferrable
-- expect: transfers.transfers_seq_key unique_deferrable
@definition
ALTER TABLE transfers DROP CONSTRAINT transfers_seq_key;
ALTER TABLE transfers ADD CONSTRAINT transfers_seq_key UNIQUE (seq) DEFERRABLE INITIALLY IMMEDIATE;

-- case: cv_unique_deferrable_renamed
-- expect: transfers.transfers_seq_key constraint_renamed
@definition
ALTER TABLE transfers RENAME CONSTRAINT transfers_seq_key TO uq_transfers_seq;
