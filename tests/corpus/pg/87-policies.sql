-- Row-level security policies: "table.policy", compared by command (ALL,
-- SELECT, INSERT, UPDATE, DELETE), PERMISSIVE or RESTRICTIVE, roles (a
-- set: sorted) and the USING and WITH CHECK expressions (normalized, as a
-- CHECK constraint's are). Only built-in roles here: roles belong to the
-- cluster, and the definition is compiled on the same server.

-- definition: pol_base
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, tenant integer NOT NULL, shared boolean NOT NULL DEFAULT false);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_read ON docs FOR SELECT USING (shared OR owner = current_user);
CREATE POLICY docs_write ON docs FOR UPDATE USING (owner = current_user) WITH CHECK (owner = current_user AND tenant > 0);
CREATE POLICY docs_tenant ON docs AS RESTRICTIVE USING (tenant = current_setting('app.tenant')::integer);
CREATE POLICY docs_monitor ON docs FOR SELECT TO pg_monitor, pg_read_all_stats USING (true);

-- case: pol_same
@definition

-- case: pol_expressions_respelled
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, tenant integer NOT NULL, shared boolean NOT NULL DEFAULT false);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
create policy DOCS_READ on DOCS for select using ((SHARED) or (OWNER = CURRENT_USER));
create policy docs_write on docs for update
  using (((owner) = (current_user)))
  with check ((owner = current_user) and (tenant > 0));
create policy docs_tenant on docs as restrictive using (tenant = (current_setting('app.tenant'))::int4);
create policy docs_monitor on docs for select to pg_monitor, pg_read_all_stats using (TRUE);

-- case: pol_defaults_spelled_out
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, tenant integer NOT NULL, shared boolean NOT NULL DEFAULT false);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_read ON docs AS PERMISSIVE FOR SELECT TO PUBLIC USING (shared OR owner = current_user);
CREATE POLICY docs_write ON docs AS PERMISSIVE FOR UPDATE TO public USING (owner = current_user) WITH CHECK (owner = current_user AND tenant > 0);
CREATE POLICY docs_tenant ON docs AS RESTRICTIVE FOR ALL TO PUBLIC USING (tenant = current_setting('app.tenant')::integer);
CREATE POLICY docs_monitor ON docs FOR SELECT TO pg_monitor, pg_read_all_stats USING (true);

-- case: pol_roles_other_order
@definition
DROP POLICY docs_monitor ON docs;
CREATE POLICY docs_monitor ON docs FOR SELECT TO pg_read_all_stats, pg_monitor USING (true);

-- case: pol_altered_and_back
@definition
ALTER POLICY docs_write ON docs USING (true) WITH CHECK (true);
ALTER POLICY docs_write ON docs USING (owner = current_user) WITH CHECK (owner = current_user AND tenant > 0);
ALTER POLICY docs_monitor ON docs TO PUBLIC;
ALTER POLICY docs_monitor ON docs TO pg_monitor, pg_read_all_stats;
ALTER POLICY docs_read ON docs RENAME TO docs_select;
ALTER POLICY docs_select ON docs RENAME TO docs_read;

-- case: pol_using_cast_spelled
@definition
ALTER POLICY docs_tenant ON docs USING (tenant = CAST(current_setting('app.tenant') AS integer));

-- case: pol_missing
-- expect: docs.docs_write missing_policy
@definition
DROP POLICY docs_write ON docs;

-- case: pol_extra
-- expect: docs.docs_delete extra_policy
@definition
CREATE POLICY docs_delete ON docs FOR DELETE USING (owner = current_user);

-- case: pol_renamed
-- expect: docs.docs_read missing_policy
-- expect: docs.docs_select extra_policy
@definition
ALTER POLICY docs_read ON docs RENAME TO docs_select;

-- case: pol_command_changed
-- expect: docs.docs_read policy_changed
@definition
DROP POLICY docs_read ON docs;
CREATE POLICY docs_read ON docs FOR ALL USING (shared OR owner = current_user);

-- case: pol_made_permissive
-- expect: docs.docs_tenant policy_changed
@definition
DROP POLICY docs_tenant ON docs;
CREATE POLICY docs_tenant ON docs USING (tenant = current_setting('app.tenant')::integer);

-- case: pol_roles_changed
-- expect: docs.docs_monitor policy_changed
@definition
ALTER POLICY docs_monitor ON docs TO pg_monitor;

-- case: pol_using_changed
-- expect: docs.docs_read policy_changed
@definition
ALTER POLICY docs_read ON docs USING (shared AND owner = current_user);

-- case: pol_with_check_dropped
-- expect: docs.docs_write policy_changed
@definition
DROP POLICY docs_write ON docs;
CREATE POLICY docs_write ON docs FOR UPDATE USING (owner = current_user);

-- case: pol_with_check_loosened
-- expect: docs.docs_write policy_changed
@definition
ALTER POLICY docs_write ON docs WITH CHECK (owner = current_user);
