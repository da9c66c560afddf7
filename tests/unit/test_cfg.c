/* Unit tests for cfg.h (cfg.c and its parts cfg_yaml.c, cfg_value.c,
 * cfg_keys.c) and conninfo.h: values, defaults, every class of error with its
 * line:column, password redaction, relative paths, reload rules, man page. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "check.h"
#include "conninfo.h"
#include "tap.h"
#include "util.h"

static const char full_yaml[] =
	"interval: 2m\n"
	"socket: /tmp/sw/ctl.sock\n"
	"state_dir: /tmp/sw/state\n"
	"admin_group: swadmin\n"
	"max_concurrent_checks: 8\n"
	"connect_timeout: 3s\n"
	"query_timeout: 250ms\n"
	"retry_backoff_max: 1h\n"
	"apply_lock_timeout: 2s\n"
	"apply_statement_timeout: 90s\n"
	"sql_dir: /opt/sw/sql\n"
	"revision: rev_b\n"
	"previous_revision: \"\"\n"
	"alert_command: [/usr/local/bin/alert, --to, \"ops team\"]\n"
	"alert_timeout: 7s\n"
	"metrics: 127.0.0.1:9187\n"
	"groups:\n"			/* before the targets it names: allowed */
	"  - name: dev-vs-prod\n"
	"    members:\n"
	"      - dev\n"
	"      - prod\n"
	"targets:\n"
	"  - name: prod\n"
	"    postgresql: \"host=db1 password=secret dbname=app\"\n"
	"    schema: app_schema\n"
	"    auto_apply: no\n"
	"    interval: 5m\n"
	"  - name: dev\n"
	"    sqlite: /srv/dev.db\n"
	"    auto_apply: true\n";

static void
test_full(void)
{
	struct config *c;
	const struct cfg_target *t;
	const struct cfg_group *g;
	char *err = NULL;

	c = cfg_load_string("full.yaml", full_yaml, &err);
	if (!ok(c != NULL, "full config parses")) {
		printf("#   %s\n", err ? err : "(no error)");
		free(err);
		return;
	}
	ok(err == NULL, "no error on success");
	is_str(c->file, "full.yaml", "file name kept");
	is_int(c->interval_ms, 120000, "interval");
	is_str(c->socket_path, "/tmp/sw/ctl.sock", "socket");
	is_str(c->state_dir, "/tmp/sw/state", "state_dir");
	is_str(c->admin_group, "swadmin", "admin_group");
	is_int(c->max_concurrent, 8, "max_concurrent_checks");
	is_int(c->connect_timeout_ms, 3000, "connect_timeout");
	is_int(c->query_timeout_ms, 250, "query_timeout");
	is_int(c->backoff_max_ms, 3600000, "retry_backoff_max");
	is_int(c->lock_timeout_ms, 2000, "apply_lock_timeout");
	is_int(c->statement_timeout_ms, 90000, "apply_statement_timeout");
	is_str(c->sql_dir, "/opt/sw/sql", "sql_dir");
	is_str(c->revision_v7, "rev_b", "revision");
	is_str(c->revision_prev, "", "previous_revision empty means none");
	if (ok(c->alert_command != NULL, "alert_command set")) {
		is_str(c->alert_command[0], "/usr/local/bin/alert", "argv[0]");
		is_str(c->alert_command[1], "--to", "argv[1]");
		is_str(c->alert_command[2], "ops team", "argv[2] keeps its space");
		ok(c->alert_command[3] == NULL, "argv NULL-terminated");
	}
	is_int(c->alert_timeout_ms, 7000, "alert_timeout");
	is_str(c->metrics_listen, "127.0.0.1:9187", "metrics");
	is_int(c->ntargets, 2, "two targets");
	t = cfg_find_target(c, "prod");
	if (ok(t != NULL, "target prod found")) {
		is_int(t->kind, CFG_PG, "prod is postgresql");
		is_str(t->conninfo, "host=db1 password=secret dbname=app", "conninfo as written");
		ok(t->conninfo_safe != NULL && strstr(t->conninfo_safe, "secret") == NULL &&
		    strstr(t->conninfo_safe, "host=db1") != NULL, "conninfo_safe has no password");
		is_str(t->schema, "app_schema", "schema");
		ok(!t->auto_apply, "auto_apply no");
		is_int(t->interval_ms, 300000, "target interval");
		is_int(t->line, 23, "target line");
		ok(t->path == NULL, "no sqlite path on a pg target");
	}
	t = cfg_find_target(c, "dev");
	if (ok(t != NULL, "target dev found")) {
		is_int(t->kind, CFG_SQLITE, "dev is sqlite");
		is_str(t->path, "/srv/dev.db", "sqlite path");
		ok(t->auto_apply, "auto_apply true");
		is_int(t->interval_ms, 0, "no interval override");
		ok(t->conninfo == NULL && t->conninfo_safe == NULL, "no conninfo on sqlite");
	}
	ok(cfg_find_target(c, "nope") == NULL, "unknown target not found");
	is_int(c->ngroups, 1, "one group");
	g = cfg_find_group(c, "dev-vs-prod");
	if (ok(g != NULL, "group found") && is_int(g->nmembers, 2, "two members")) {
		is_str(g->members[0], "dev", "member 0");
		is_str(g->members[1], "prod", "member 1");
		is_int(g->line, 18, "group line");
	}
	ok(cfg_find_group(c, "nope") == NULL, "unknown group not found");
	cfg_free(c);
}

static void
test_defaults(void)
{
	struct config *c;
	char *err = NULL;

	c = cfg_load_string("d.yaml", "targets:\n  - name: p\n    postgresql: dbname=x\n", &err);
	if (!ok(c != NULL, "minimal config parses")) {
		printf("#   %s\n", err);
		free(err);
		return;
	}
	is_int(c->interval_ms, 60000, "default interval");
	is_str(c->socket_path, "/run/schemawatchd/schemawatchd.sock", "default socket");
	is_str(c->state_dir, "/var/lib/schemawatchd", "default state_dir");
	ok(c->admin_group == NULL, "default admin_group none");
	is_int(c->max_concurrent, 4, "default max_concurrent_checks");
	is_int(c->connect_timeout_ms, 10000, "default connect_timeout");
	is_int(c->query_timeout_ms, 30000, "default query_timeout");
	is_int(c->backoff_max_ms, 600000, "default retry_backoff_max");
	is_int(c->lock_timeout_ms, 5000, "default apply_lock_timeout");
	is_int(c->statement_timeout_ms, 60000, "default apply_statement_timeout");
	is_str(c->sql_dir, SW_SQLDIR, "default sql_dir");
	ok(c->revision_v7 == NULL, "revision (deprecated): unset by default");
	ok(c->revision_prev == NULL, "previous_revision (deprecated): unset by default");
	ok(c->alert_command == NULL, "default alert_command none");
	is_int(c->alert_timeout_ms, 10000, "default alert_timeout");
	ok(c->metrics_listen == NULL, "default metrics off");
	is_str(c->targets[0].schema, "public", "default schema");
	is_str(c->targets[0].scope, "definition", "default scope: definition");
	ok(!cfg_target_scope_schema(&c->targets[0]), "... which is not scope: schema");
	ok(!c->targets[0].auto_apply, "default auto_apply false");
	is_int(c->targets[0].interval_ms, 0, "default target interval: global");
	is_int(c->ngroups, 0, "no groups");
	cfg_free(c);

	c = cfg_load_string("empty.yaml", "", &err);
	ok(c != NULL && c->ntargets == 0 && c->interval_ms == 60000,
	    "empty file: defaults, no targets");
	cfg_free(c);

	c = cfg_load_string("n.yaml", "admin_group:\nmetrics: ~\nalert_command:\n"
	    "targets:\n  - {name: a, sqlite: /a.db, interval: null}\n", &err);
	ok(c != NULL && c->admin_group == NULL && c->metrics_listen == NULL &&
	    c->alert_command == NULL && c->targets[0].interval_ms == 0,
	    "null on optional keys means none");
	cfg_free(c);

	c = cfg_load_string("b.yaml", "max_concurrent_checks: 64\n"
	    "targets:\n  - {name: a.b_c-9, sqlite: /a.db, auto_apply: On}\n", &err);
	ok(c != NULL && c->max_concurrent == 64 && c->targets[0].auto_apply,
	    "upper bound, dotted name, On");
	cfg_free(c);
}

/* Each class of error: the exact message, place included. */
static void
test_errors(void)
{
	static const struct {
		const char	*what;
		const char	*yaml;
		const char	*want;
	} cases[] = {
		{ "unknown key in a target",
		  "interval: 60s\n"
		  "targets:\n"
		  "  - name: prod\n"
		  "    postgresql: \"service=x\"\n"
		  "    intervall: 5m\n",
		  "x.yaml:5:5: unknown key \"intervall\" in target \"prod\" "
		  "(did you mean \"interval\"?)" },
		{ "unknown key, no suggestion",
		  "interval: 60s\nfrobnicate: 1\n",
		  "x.yaml:2:1: unknown key \"frobnicate\"" },
		{ "unknown key before the target's name",
		  "targets:\n  - sqlit: a.db\n    name: dev\n",
		  "x.yaml:2:5: unknown key \"sqlit\" in target \"dev\" (did you mean \"sqlite\"?)" },
		{ "unknown key in a group",
		  "groups:\n  - name: g\n    member: [a, b]\n",
		  "x.yaml:3:5: unknown key \"member\" in group \"g\" (did you mean \"members\"?)" },
		{ "bad duration",
		  "interval: abc\n",
		  "x.yaml:1:11: interval: expected a duration like 30s, got \"abc\"" },
		{ "zero duration",
		  "query_timeout: 0s\n",
		  "x.yaml:1:16: query_timeout: expected a duration greater than 0 like 30s, got \"0s\"" },
		{ "interval below the floor",
		  "interval: 50ms\n",
		  "x.yaml:1:11: interval: expected a duration of at least 100ms "
		  "(the smallest interval allowed), got \"50ms\"" },
		{ "target interval below the floor (a typo of 1m)",
		  "targets:\n  - name: a\n    sqlite: a.db\n    interval: 1ms\n",
		  "x.yaml:4:15: interval in target \"a\": expected a duration of at least 100ms "
		  "(the smallest interval allowed), got \"1ms\"" },
		{ "bad target duration",
		  "targets:\n  - name: a\n    sqlite: a.db\n    interval: 1x\n",
		  "x.yaml:4:15: interval in target \"a\": expected a duration like 30s, got \"1x\"" },
		{ "int out of range",
		  "max_concurrent_checks: 65\n",
		  "x.yaml:1:24: max_concurrent_checks: expected an integer from 1 to 64, got \"65\"" },
		{ "int not a number",
		  "max_concurrent_checks: four\n",
		  "x.yaml:1:24: max_concurrent_checks: expected an integer from 1 to 64, got \"four\"" },
		{ "scope neither definition nor schema",
		  "targets:\n  - name: a\n    sqlite: a.db\n    scope: database\n",
		  "x.yaml:4:12: scope in target \"a\": expected \"definition\" or \"schema\"" },
		{ "scope is a word, not a list",
		  "targets:\n  - name: a\n    sqlite: a.db\n    scope: [schema]\n",
		  "x.yaml:4:12: scope in target \"a\": expected a string, got a list" },
		{ "bad bool",
		  "targets:\n  - name: a\n    sqlite: a.db\n    auto_apply: maybe\n",
		  "x.yaml:4:17: auto_apply in target \"a\": expected true or false, got \"maybe\"" },
		{ "mapping where a string goes",
		  "admin_group: {a: 1}\n",
		  "x.yaml:1:14: admin_group: expected a string, got a mapping" },
		{ "list where a duration goes",
		  "interval: [1s]\n",
		  "x.yaml:1:11: interval: expected a duration like 30s, got a list" },
		{ "required value left empty",
		  "interval:\nsocket: /s\n",
		  "x.yaml:1:10: interval: needs a value (a duration like 30s)" },
		{ "empty path",
		  "state_dir: \"\"\n",
		  "x.yaml:1:12: state_dir: expected a path, got an empty string" },
		{ "bad metrics",
		  "metrics: localhost\n",
		  "x.yaml:1:10: metrics: expected host:port like 127.0.0.1:9187, got \"localhost\"" },
		{ "revision too long",
		  "revision: abcdefghijabcdefghijabcdefghijabc\n",
		  "x.yaml:1:11: revision: expected a revision id of 1 to 32 characters, "
		  "got \"abcdefghijabcdefghijabcdefghijabc\"" },
		{ "alert_command as a shell string",
		  "alert_command: /usr/bin/mail -s drift ops\n",
		  "x.yaml:1:16: alert_command: must be a list of program and arguments like "
		  "[/usr/local/bin/alert, --to, ops], not a string: it is never run through a shell" },
		{ "alert_command empty list",
		  "alert_command: []\n",
		  "x.yaml:1:16: alert_command: the list is empty: it needs at least the program" },
		{ "alert_command with a mapping element",
		  "alert_command: [/bin/x, {a: b}]\n",
		  "x.yaml:1:25: alert_command: each element must be a string, got a mapping" },
		{ "duplicate target name",
		  "targets:\n"
		  "  - name: prod\n"
		  "    sqlite: a.db\n"
		  "  - name: dev\n"
		  "    sqlite: b.db\n"
		  "  - name: prod\n"
		  "    sqlite: c.db\n",
		  "x.yaml:6:11: duplicate target name \"prod\" (first defined at line 2)" },
		{ "duplicate group name",
		  "targets:\n"
		  "  - {name: a, sqlite: a.db}\n"
		  "  - {name: b, sqlite: b.db}\n"
		  "groups:\n"
		  "  - name: g\n"
		  "    members: [a, b]\n"
		  "  - name: g\n"
		  "    members: [b, a]\n",
		  "x.yaml:7:11: duplicate group name \"g\" (first defined at line 5)" },
		{ "duplicate top-level key",
		  "interval: 1s\nsocket: /s\ninterval: 2s\n",
		  "x.yaml:3:1: duplicate key \"interval\" (first at line 1)" },
		{ "duplicate key in a target",
		  "targets:\n  - name: a\n    sqlite: a.db\n    sqlite: b.db\n",
		  "x.yaml:4:5: duplicate key \"sqlite\" in target \"a\" (first at line 3)" },
		{ "missing target name",
		  "targets:\n  - {name: a, sqlite: a.db}\n  - sqlite: b.db\n",
		  "x.yaml:3:5: target #2 has no \"name\"" },
		{ "missing members",
		  "targets:\n  - {name: a, sqlite: a.db}\ngroups:\n  - name: g\n",
		  "x.yaml:4:5: group \"g\" has no \"members\"" },
		{ "both postgresql and sqlite",
		  "targets:\n  - name: a\n    postgresql: \"dbname=x\"\n    sqlite: a.db\n",
		  "x.yaml:4:5: target \"a\" has more than one of \"postgresql\", \"sqlite\" and "
		  "\"url\"; use exactly one" },
		{ "url and sqlite",
		  "targets:\n  - name: a\n    url: \"sqlite:///b.db\"\n    sqlite: a.db\n",
		  "x.yaml:4:5: target \"a\" has more than one of \"postgresql\", \"sqlite\" and "
		  "\"url\"; use exactly one" },
		{ "url of another database",
		  "targets:\n  - name: a\n    url: \"mysql://u:pw@h/d\"\n",
		  "x.yaml:3:10: url in target \"a\": unsupported database URL scheme \"mysql\": "
		  "schemawatchd checks PostgreSQL (postgresql://, postgres://, postgresql+DRIVER://, "
		  "or a key=value string) and SQLite (a path, or sqlite:///relative/path.db or "
		  "sqlite:////absolute/path.db)" },
		{ "in-memory sqlite URL",
		  "targets:\n  - name: a\n    sqlite: \"sqlite://\"\n",
		  "x.yaml:3:13: sqlite in target \"a\": \"sqlite://\" is SQLAlchemy's in-memory "
		  "database: nothing to check; give a file (sqlite:///relative/path.db or "
		  "sqlite:////absolute/path.db)" },
		{ "sqlite URL as postgresql",
		  "targets:\n  - name: a\n    postgresql: \"sqlite:///a.db\"\n",
		  "x.yaml:3:17: postgresql in target \"a\": a \"sqlite\" URL is not a PostgreSQL "
		  "connection string" },
		{ "schema on a url sqlite target",
		  "targets:\n  - name: a\n    url: ./a.db\n    schema: s\n",
		  "x.yaml:4:5: \"schema\" in target \"a\": only postgresql targets have a schema" },
		{ "neither postgresql nor sqlite",
		  "targets:\n  - name: a\n    auto_apply: true\n",
		  "x.yaml:2:5: target \"a\" needs \"postgresql\" (a connection string), "
		  "\"sqlite\" (a file) or \"url\" (either, as a URL)" },
		{ "schema on an sqlite target",
		  "targets:\n  - name: a\n    sqlite: a.db\n    schema: s\n",
		  "x.yaml:4:5: \"schema\" in target \"a\": only postgresql targets have a schema" },
		{ "bad target name",
		  "targets:\n  - name: \"a b\"\n    sqlite: a.db\n",
		  "x.yaml:2:11: name in target \"a b\": invalid name \"a b\": use letters, digits, "
		  "\"_\", \".\" and \"-\"" },
		{ "unknown group member",
		  "targets:\n"
		  "  - {name: a, sqlite: a.db}\n"
		  "  - {name: b, sqlite: b.db}\n"
		  "groups:\n"
		  "  - name: g\n"
		  "    members: [a, c]\n",
		  "x.yaml:6:18: unknown target \"c\" in members of group \"g\"" },
		{ "too few members",
		  "targets:\n  - {name: a, sqlite: a.db}\ngroups:\n  - name: g\n    members: [a]\n",
		  "x.yaml:5:14: group \"g\" needs at least 2 members, has 1" },
		{ "duplicate member",
		  "targets:\n  - {name: a, sqlite: a.db}\ngroups:\n  - name: g\n"
		  "    members: [a, a]\n",
		  "x.yaml:5:18: member \"a\" appears twice in group \"g\"" },
		{ "members as a string",
		  "groups:\n  - name: g\n    members: a\n",
		  "x.yaml:3:14: members in group \"g\": expected a list of strings like [a, b], "
		  "got a string" },
		{ "targets not a list",
		  "targets: prod\n",
		  "x.yaml:1:10: targets: expected a list of targets (\"- name: ...\"), got a string" },
		{ "target entry not a mapping",
		  "targets:\n  - prod\n",
		  "x.yaml:2:5: each entry of targets must be a mapping with a name, got a string" },
		{ "document not a mapping",
		  "- a\n- b\n",
		  "x.yaml:1:1: the configuration must be a mapping of keys "
		  "(like \"interval: 60s\"), got a list" },
		{ "YAML syntax: unclosed flow sequence",
		  "interval: 1s\ntargets: [a, b\n",
		  "x.yaml:3:1: YAML syntax error: did not find expected ',' or ']' "
		  "(while parsing a flow sequence at line 2, column 10)" },
		{ "YAML syntax: bad indentation",
		  "interval: 1s\n  socket: /x\n",
		  "x.yaml:2:9: YAML syntax error: mapping values are not allowed in this context" },
		{ "YAML syntax: undefined alias",
		  "interval: *nope\n",
		  "x.yaml:1:11: YAML syntax error: found undefined alias" },
		{ "two documents",
		  "interval: 1s\n---\ninterval: 2s\n",
		  "x.yaml:2:1: only one YAML document is allowed" },
		{ "invalid UTF-8",
		  "interval: 1s\nsocket: \"\xff\"\n",
		  "x.yaml:2:10: invalid input: invalid leading UTF-8 octet" },
	};
	struct config *c;
	char *err;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err = NULL;
		c = cfg_load_string("x.yaml", cases[i].yaml, &err);
		ok(c == NULL, cases[i].what);
		is_str(err, cases[i].want, cases[i].what);
		cfg_free(c);
		free(err);
	}
}

/* A password must never reach an error message, even from a broken string. */
static void
test_no_password_in_errors(void)
{
	static const char *const texts[] = {
		"targets:\n  - name: a\n    postgresql: \"password=secret host\"\n",
		"targets:\n  - name: a\n    postgresql: \"postgresql://u:secret@h/db?nosuch=1\"\n",
		"targets:\n  - name: a\n    postgresql: \"password=secret\"\n    sqlite: a.db\n",
		"targets:\n  - name: a\n    postgresql: \"password=secret\"\n    bogus: 1\n",
		"targets:\n  - name: a\n    postgresql: [\"password=secret\"]\n",
	};
	struct config *c;
	char *err;
	size_t i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		err = NULL;
		c = cfg_load_string("p.yaml", texts[i], &err);
		ok(c == NULL && err != NULL && strncmp(err, "p.yaml:", 7) == 0 &&
		    strstr(err, "secret") == NULL, "error without the password");
		if (err != NULL)
			printf("#   %s\n", err);
		cfg_free(c);
		free(err);
	}
	err = NULL;
	c = cfg_load_string("p.yaml", texts[0], &err);
	is_str(err, "p.yaml:3:17: postgresql in target \"a\": not a valid libpq connection "
	    "string or URI (not shown here: it may hold a password)", "bad conninfo message");
	cfg_free(c);
	free(err);
}

static void
test_unreadable(void)
{
	char *err = NULL, *want;
	struct config *c;
	const char *tmp = getenv("SW_TEST_TMP");

	c = cfg_load("/nonexistent/sw.yaml", &err);
	ok(c == NULL, "missing file refused");
	is_str(err, "/nonexistent/sw.yaml: cannot read: No such file or directory",
	    "missing file message");
	free(err);
	if (tmp != NULL) {
		err = NULL;
		c = cfg_load(tmp, &err);	/* a directory */
		want = xasprintf("%s: cannot read: %s", tmp, strerror(EISDIR));
		ok(c == NULL, "directory refused");
		is_str(err, want, "directory message");
		free(want);
		free(err);
	}
}

static void
test_redact(void)
{
	static const struct {
		const char	*in;
		const char	*want;		/* NULL: only "no secret" is checked */
	} cases[] = {
		{ "service=prod-app", "service=prod-app" },
		{ "host=db1 password=secret dbname=app", NULL },
		{ "password='sec ret' host=h", NULL },
		{ "postgresql://u:secret@h/db", NULL },
		{ "postgresql://u:secret@h:5433/db?sslmode=require", NULL },
		{ "postgres://h/db?password=secret", NULL },
		{ "sslpassword=secret host=h", NULL },
		{ "dbname='postgresql://u:secret@h/db'", NULL },
		{ "dbname='host=h password=secret'", NULL },
		{ "host='a b' dbname=it\\'s", "dbname='it\\'s' host='a b'" },
		{ "password=secret host", "<unparseable connection string>" },
		{ "postgresql://u:secret@h/db?nosuch=1", "<unparseable connection string>" },
		{ "postgresql://u:secret@h:bad/db", NULL },
		{ "secret", "<unparseable connection string>" },
	};
	char *r, what[160];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = cfg_conninfo_redact(cases[i].in);
		snprintf(what, sizeof what, "redact %s", cases[i].in);
		ok(r != NULL && strstr(r, "secret") == NULL && strstr(r, "sec ret") == NULL,
		    what);
		if (cases[i].want != NULL)
			is_str(r, cases[i].want, what);
		else
			ok(r != NULL && strstr(r, "password=********") != NULL, what);
		printf("#   %s -> %s\n", cases[i].in, r ? r : "NULL");
		free(r);
	}
	r = cfg_conninfo_redact("postgresql://u:secret@h:5433/db");
	ok(strstr(r, "user=u") && strstr(r, "host=h") && strstr(r, "port=5433") &&
	    strstr(r, "dbname=db"), "URI rebuilt as key=value");
	free(r);
}

/* conninfo.h itself: what libpq accepts, and the facade's redaction is it. */
static void
test_conninfo(void)
{
	static const char *const valid[] = {
		"", "host=h dbname=app", "service=prod", "postgresql://u:pw@h:5433/db",
		"postgres:///db?host=/run/pg",
	};
	static const char *const invalid[] = {
		"host", "password=secret host", "nosuch=1", "postgresql://h/db?nosuch=1",
		"host='unterminated",
	};
	char *a, *b, what[160];
	size_t i;

	for (i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		snprintf(what, sizeof what, "conninfo_valid(\"%s\")", valid[i]);
		ok(conninfo_valid(valid[i]), what);
	}
	for (i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		snprintf(what, sizeof what, "!conninfo_valid(\"%s\")", invalid[i]);
		ok(!conninfo_valid(invalid[i]), what);
	}
	a = conninfo_redact("host=h password=pw dbname='user=u password=pw2'");
	b = cfg_conninfo_redact("host=h password=pw dbname='user=u password=pw2'");
	is_str(a, "password=******** dbname='user=u password=********' host=h",
	    "conninfo_redact: the password and the one inside dbname, in libpq's order");
	is_str(b, a, "cfg_conninfo_redact is conninfo_redact");
	free(a);
	free(b);
	a = conninfo_redact(NULL);
	is_str(a, "<unparseable connection string>", "conninfo_redact(NULL)");
	free(a);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void
test_relative_paths(void)
{
	const char *tmp = getenv("SW_TEST_TMP");
	char *dir, *file, *err = NULL, *want, real[PATH_MAX], cwd[PATH_MAX];
	struct config *c;

	if (tmp == NULL || realpath(tmp, real) == NULL) {
		ok(0, "SW_TEST_TMP is set and exists");
		return;
	}
	dir = xasprintf("%s/conf.d", real);
	mkdir(dir, 0755);
	file = xasprintf("%s/sw.yaml", dir);
	ok(write_file(file,
	    "socket: sw.sock\n"
	    "state_dir: ./state\n"
	    "sql_dir: ../sql\n"
	    "targets:\n"
	    "  - {name: a, sqlite: ./a.db}\n"
	    "  - {name: b, sqlite: /abs/b.db}\n"
	    "  - {name: m, sqlite: \":memory:\"}\n"
	    "  - {name: p, postgresql: \"dbname=./x\"}\n") == 0, "config file written");
	c = cfg_load(file, &err);
	if (ok(c != NULL, "relative config loads")) {
		want = xasprintf("%s/sw.sock", dir);
		is_str(c->socket_path, want, "socket relative to the file");
		free(want);
		want = xasprintf("%s/state", dir);
		is_str(c->state_dir, want, "state_dir ./ relative to the file");
		free(want);
		want = xasprintf("%.*s/sql", (int)(strrchr(dir, '/') - dir), dir);
		is_str(c->sql_dir, want, "sql_dir ../ relative to the file, folded");
		free(want);
		want = xasprintf("%s/a.db", dir);
		is_str(c->targets[0].path, want, "sqlite relative to the file");
		free(want);
		is_str(c->targets[1].path, "/abs/b.db", "absolute sqlite kept");
		is_str(c->targets[2].path, ":memory:", ":memory: kept");
		is_str(c->targets[3].conninfo, "dbname=./x", "conninfo never rewritten");
	} else
		printf("#   %s\n", err);
	cfg_free(c);
	free(err);
	err = NULL;

	/* From a string: the directory of the name, else the working directory. */
	c = cfg_load_string("no/such/dir/x.yaml", "targets: [{name: a, sqlite: a.db}]\n", &err);
	ok(c != NULL && strcmp(c->targets[0].path, "no/such/dir/a.db") == 0,
	    "string config: relative to the name's directory");
	cfg_free(c);
	if (getcwd(cwd, sizeof cwd) != NULL) {
		c = cfg_load_string("builtin", "targets: [{name: a, sqlite: ./a.db}]\n", &err);
		want = xasprintf("%s/a.db", cwd);
		ok(c != NULL && strcmp(c->targets[0].path, want) == 0,
		    "string config without a directory: relative to the working directory");
		free(want);
		cfg_free(c);
	}
	free(file);
	free(dir);
}

/* The shipped files must load, and say what the docs say they say. */
static void
test_shipped_files(void)
{
	const char *src = getenv("SW_SRCDIR");
	char *path, *err = NULL, *want, confdir[PATH_MAX];
	struct config *c;
	const struct cfg_target *t;

	if (src == NULL)
		src = ".";
	path = xasprintf("%s/conf/dev.yaml", src);
	c = cfg_load(path, &err);
	if (ok(c != NULL, "conf/dev.yaml loads") && realpath(path, confdir) != NULL) {
		*strrchr(confdir, '/') = '\0';	/* .../conf */
		*strrchr(confdir, '/') = '\0';	/* the top of the tree: "../" folded */
		is_int(c->ntargets, 1, "dev.yaml: one target");
		t = cfg_find_target(c, "dev");
		ok(t != NULL && t->kind == CFG_SQLITE && !t->auto_apply,
		    "dev.yaml: sqlite target dev, no auto_apply");
		want = xasprintf("%s/dev.db", confdir);
		is_str(t ? t->path : NULL, want, "dev.yaml: ./dev.db");
		free(want);
		want = xasprintf("%s/schemawatchd.sock", confdir);
		is_str(c->socket_path, want, "dev.yaml: socket");
		free(want);
		want = xasprintf("%s/state", confdir);
		is_str(c->state_dir, want, "dev.yaml: state_dir");
		free(want);
		want = xasprintf("%s/sql/prompter", confdir);
		is_str(c->definition, want, "dev.yaml: definition");
		free(want);
		is_int(c->interval_ms, 10000, "dev.yaml: interval 10s");
	} else if (err != NULL)
		printf("#   %s\n", err);
	cfg_free(c);
	free(err);
	free(path);

	err = NULL;
	path = xasprintf("%s/conf/schemawatchd.yaml", src);
	c = cfg_load(path, &err);
	if (ok(c != NULL, "conf/schemawatchd.yaml loads")) {
		t = cfg_find_target(c, "prod");
		ok(t != NULL && t->kind == CFG_PG && strcmp(t->conninfo, "service=prod-app") == 0,
		    "example: prod is service=prod-app");
		t = cfg_find_target(c, "dev");
		ok(t != NULL && t->kind == CFG_SQLITE, "example: dev is sqlite");
		ok(cfg_find_group(c, "dev-vs-prod") != NULL, "example: group dev-vs-prod");
	} else if (err != NULL)
		printf("#   %s\n", err);
	cfg_free(c);
	free(err);
	free(path);
}

/* scope: per target, either value, on both kinds of target; a reload may
 * change it (no restart: the next check reads what the new one says). */
static void
test_scope(void)
{
	struct config *a, *b;
	char *err = NULL, *r;

	a = cfg_load_string("s.yaml", "targets:\n"
	    "  - {name: p, postgresql: dbname=x, scope: schema}\n"
	    "  - {name: t, postgresql: dbname=x, schemas: [t_*], scope: schema}\n"
	    "  - {name: l, sqlite: /l.db, scope: schema}\n"
	    "  - {name: d, sqlite: /d.db, scope: definition}\n", &err);
	if (!ok(a != NULL, "scope: schema and definition parse")) {
		printf("#   %s\n", err);
		free(err);
		return;
	}
	ok(cfg_target_scope_schema(&a->targets[0]), "postgresql target: scope schema");
	ok(cfg_target_scope_schema(&a->targets[1]), "schemas: target: scope schema");
	ok(cfg_target_scope_schema(&a->targets[2]), "sqlite target: scope schema");
	ok(!cfg_target_scope_schema(&a->targets[3]), "scope: definition spelled out");
	is_str(a->targets[3].scope, "definition", "... kept as written");
	b = cfg_load_string("s2.yaml", "targets:\n"
	    "  - {name: p, postgresql: dbname=x}\n", &err);
	if (ok(b != NULL, "the same target without scope parses")) {
		r = cfg_restart_needed(a, b);
		ok(r == NULL, "changing scope needs no restart");
		free(r);
		ok(!cfg_target_scope_schema(&b->targets[0]), "... and is definition again");
		cfg_free(b);
	}
	cfg_free(a);
}

static void
test_restart_needed(void)
{
	static const struct {
		const char	*old, *new, *want;
	} cases[] = {
		{ "interval: 1s\n", "interval: 2s\n", NULL },
		{ "socket: /a\n", "socket: /a\n", NULL },
		{ "socket: /a\n", "socket: /b\n", "socket" },
		{ "state_dir: /a\n", "state_dir: /b\n", "state_dir" },
		{ "metrics: 127.0.0.1:1\n", "", "metrics" },
		{ "socket: /a\nmetrics: h:1\nadmin_group: x\n",
		  "socket: /b\nmetrics: h:2\nadmin_group: y\nstate_dir: /s\n",
		  "socket, state_dir, metrics" },
		{ "targets: [{name: a, sqlite: /a}]\n", "targets: [{name: b, sqlite: /b}]\n", NULL },
	};
	struct config *a, *b;
	char *r, *err = NULL;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		a = cfg_load_string("a.yaml", cases[i].old, &err);
		b = cfg_load_string("b.yaml", cases[i].new, &err);
		if (!ok(a != NULL && b != NULL, "restart_needed: configs load"))
			continue;
		r = cfg_restart_needed(a, b);
		is_str(r, cases[i].want, "restart_needed");
		free(r);
		cfg_free(a);
		cfg_free(b);
	}
}

static void
test_man(void)
{
	static const char *const names[] = {
		"interval", "socket", "state_dir", "admin_group", "max_concurrent_checks",
		"connect_timeout", "query_timeout", "retry_backoff_max", "apply_lock_timeout",
		"apply_statement_timeout", "sql_dir", "revision", "previous_revision",
		"alert_command", "alert_timeout", "metrics", "targets", "groups",
		"name", "postgresql", "sqlite", "schema", "auto_apply", "members",
	};
	char *buf = NULL, *pat, *s, what[96];
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	int n;

	cfg_print_keys_man(f);
	fclose(f);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		pat = xasprintf("\n.B %s\n", names[i]);
		snprintf(what, sizeof what, "man page has %s", names[i]);
		ok(strstr(buf, pat) != NULL, what);
		free(pat);
	}
	for (n = 0, s = buf; (s = strstr(s, "takes effect at restart")) != NULL; s++)
		n++;
	is_int(n, 3, "three restart-only keys");
	ok(strstr(buf, ".SS Target keys") != NULL && strstr(buf, ".SS Group keys") != NULL,
	    "sections per scope");
	ok(strstr(buf, "Default: \\fB60s\\fP.") != NULL, "default shown");
	ok(strstr(buf, "from 1 to 64") != NULL, "int range shown");
	ok(strstr(buf, "\\-") != NULL && strstr(buf, "/run/schemawatchd/schemawatchd.sock") != NULL,
	    "hyphens escaped, paths shown");
	free(buf);
}

int
main(void)
{
	test_full();
	test_defaults();
	test_scope();
	test_errors();
	test_no_password_in_errors();
	test_unreadable();
	test_redact();
	test_conninfo();
	test_relative_paths();
	test_shipped_files();
	test_restart_needed();
	test_man();
	return tap_done();
}
