#!/usr/bin/env bash
# The developer's own workflow: databases named as on the command line of
# apply_sqlite_v7.py / pytest / psql (paths, sqlite:/// URLs, libpq strings and
# URIs, SQLAlchemy postgresql+DRIVER:// URLs, $DB_URL), with no configuration
# file: schemawatchd --once DATABASE... and --apply DATABASE.
. "$SW_SRCDIR/tests/lib/common.sh"

cd "$SW_TEST_TMP" || exit 1
unset DB_URL

# ---- SQLite, the apply_sqlite_v7.py way ----------------------------------------
out=$("$SCHEMAWATCHD" --apply sqlite:///./dev.db --definition "$SQLDIR" 2>/dev/null)
is "$?" "0" "--apply sqlite:///./dev.db (relative, no -c) exits 0"
like "$out" "^dev\.db: upgrade applied \(pending -> ok\)" "... applied V7, target named after the file"
ok "... into ./dev.db of the working directory" test -s "$SW_TEST_TMP/dev.db"

out=$("$SCHEMAWATCHD" --once --json "sqlite:///./dev.db" 2>&1)
is "$?" "0" "--once sqlite:///./dev.db exits 0"
is "$(jq -r '.targets[0].name + " " + .targets[0].state' <<<"$out")" "dev.db ok" "... dev.db ok"

mkdir -p sub
out=$("$SCHEMAWATCHD" --once --json ./dev.db "sqlite:////$SW_TEST_TMP/sub/new.db" dev.db 2>&1)
is "$?" "2" "--once with a missing file among three exits 2"
is "$(jq -r '[.targets[] | .name + "=" + .state] | join(" ")' <<<"$out")" \
	"dev.db=ok new.db=unreachable dev.db-2=ok" "... names unique (dev.db, new.db, dev.db-2), states right"
ok "... a check creates no file" test ! -e sub/new.db

out=$(DB_URL=sqlite:///./dev.db "$SCHEMAWATCHD" --once 2>&1)
is "$?" "0" "DB_URL=sqlite:///./dev.db, --once alone: exits 0"
like "$out" 'checking \$DB_URL as target "dev\.db"' "... says it used DB_URL"
like "$out" "dev\.db +sqlite +ok" "... and reports dev.db ok"

out=$(DB_URL=sqlite:///./dev.db "$SCHEMAWATCHD" -c "$SW_TEST_TMP/none.yaml" --once 2>&1)
is "$?" "78" "with -c, DB_URL is not used (the file is)"

out=$("$SCHEMAWATCHD" --apply "sqlite:////$SW_TEST_TMP/dev.db" --downgrade --dry-run --sql-dir "$SQLDIR" 2>/dev/null)
is "$?" "0" "--apply sqlite:////ABS --downgrade --dry-run exits 0"
like "$out" "dry run: the downgrade would run" "... and shows the plan"

# ---- refused, clearly ---------------------------------------------------------------
check_refused() {	# check_refused DESCRIPTION REGEX ARGS...
	local what=$1 re=$2
	shift 2
	out=$("$SCHEMAWATCHD" "$@" 2>&1)
	is "$?" "78" "$what: exit 78"
	like "$out" "$re" "$what: says why"
	unlike "$out" "hunter2" "$what: no password shown"
}
check_refused "in-memory sqlite://" "in-memory" --once sqlite://
check_refused "sqlite URL with a query" 'query string \("\?mode=ro"\)' --once "sqlite:///./dev.db?mode=ro"
check_refused "mysql URL" 'DATABASE argument 2: unsupported database URL scheme "mysql\+pymysql"' \
	--once ./dev.db "mysql+pymysql://u:hunter2@h/db"
check_refused "asyncpg ssl=require" "sslmode=require" \
	--apply "postgresql+asyncpg://u:hunter2@h/db?ssl=require"
out=$(DB_URL="ftp://u:hunter2@x/" "$SCHEMAWATCHD" --once 2>&1)
is "$?" "78" "DB_URL=ftp://…: exit 78"
like "$out" '^schemawatchd: DB_URL: unsupported database URL scheme "ftp"' "... says DB_URL is the culprit and why"
unlike "$out" "hunter2" "... without its password"
"$SCHEMAWATCHD" -c x.yaml --once ./dev.db >/dev/null 2>&1
is "$?" "64" "-c with DATABASE arguments: usage error 64"

# ---- PostgreSQL: libpq strings, URIs and SQLAlchemy URLs --------------------------------
db=$(new_pgdb)
uri="postgresql+psycopg2://$PGUSER:hunter2@/$db?host=$PGHOST"
out=$("$SCHEMAWATCHD" --once --json "$uri" 2>&1)
is "$?" "1" "--once postgresql+psycopg2://… (empty database) exits 1"
is "$(jq -r '.targets[0].name + " " + .targets[0].state' <<<"$out")" "$db pending" "... named after the database, pending"
unlike "$out" "hunter2" "... the password appears nowhere"

out=$("$SCHEMAWATCHD" --apply "$uri" --sql-dir "$SQLDIR" 2>&1)
is "$?" "0" "--apply postgresql+psycopg2://… exits 0"
like "$out" "$db: upgrade applied \(pending -> ok\)" "... applied"
unlike "$out" "hunter2" "... no password in its output"

out=$("$SCHEMAWATCHD" --once --json "host=$PGHOST dbname=$db" "postgresql://$PGUSER@/$db?host=$PGHOST" \
	"postgres:///$db?host=$PGHOST" ./dev.db 2>&1)
is "$?" "0" "--once key=value, postgresql://, postgres:// and an SQLite path together: exit 0"
is "$(jq -r '[.targets[] | .name + "=" + .state] | join(" ")' <<<"$out")" \
	"$db=ok $db-2=ok $db-3=ok dev.db=ok" "... four targets, unique names, all ok"

# ---- a target name of a configuration still works --------------------------------------
printf 'sql_dir: %s\ntargets:\n  - name: dev\n    sqlite: ./cfg.db\n' "$SQLDIR" >"$SW_TEST_TMP/sw.yaml"
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/sw.yaml" --apply dev 2>/dev/null)
is "$?" "0" "-c FILE --apply TARGET still names a target"
out=$("$SCHEMAWATCHD" -c "$SW_TEST_TMP/sw.yaml" --apply ./other.db 2>/dev/null)
is "$?" "0" "-c FILE --apply ./other.db: a database, with FILE's settings (sql_dir)"
ok "... created other.db" test -s "$SW_TEST_TMP/other.db"

done_testing
