/* cfg_keys.c — the key table (see cfg_keys.h), the checks of single string
 * values it names, lookups by name with a suggestion for typos, and the
 * man(7) text of the whole table for schemawatchd.yaml(5).
 *
 * Everything a user may write is described once, in cfg_keys[] below; a
 * default is written as the text a user would write, so it goes through the
 * same conversion as the file (cfg_value.c) and can never be something the
 * file could not say. The man page is printed from the same entries, so it
 * cannot drift from the parser. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_keys.h"
#include "conninfo.h"
#include "util.h"

#ifndef SW_DEFINITION_DIR
#define SW_DEFINITION_DIR "/usr/share/schemawatchd/definitions/prompter"
#endif
#ifndef SW_SQLDIR
#define SW_SQLDIR "/usr/share/schemawatchd"
#endif

static char	*check_name(const char *);
static char	*check_conninfo(const char *);
static char	*check_hostport(const char *);
static char	*check_revision(const char *);
static char	*check_prev_revision(const char *);
static char	*check_nonempty(const char *);
static char	*check_scope(const char *);

/* The smallest interval: below it a typo (1ms for 1m) would have the daemon
 * hammer every server. */
#define SW_MIN_INTERVAL_MS	100

#define TOP(f)	.scope = SC_TOP, .off = offsetof(struct config, f)
#define TGT(f)	.scope = SC_TARGET, .off = offsetof(struct cfg_target, f)
#define GRP(f)	.scope = SC_GROUP, .off = offsetof(struct cfg_group, f)

/* The order here is the order of the man page. */
const struct cfg_key cfg_keys[] = {
	/* ---- top level ---- */
	{ .name = "interval", TOP(interval_ms), .type = TY_DURATION, .dflt = "60s",
	  .min = SW_MIN_INTERVAL_MS,
	  .help = "How often each target is checked, unless the target sets its own interval; at least 100ms." },
	{ .name = "socket", TOP(socket_path), .type = TY_PATH,
	  .dflt = "/run/schemawatchd/schemawatchd.sock", .flags = KF_RESTART,
	  .help = "Path of the control socket used by schemawatchctl." },
	{ .name = "state_dir", TOP(state_dir), .type = TY_PATH, .dflt = "/var/lib/schemawatchd",
	  .flags = KF_RESTART,
	  .help = "Directory of the state database (state changes and history)." },
	{ .name = "admin_group", TOP(admin_group), .type = TY_STRING, .flags = KF_NULLABLE,
	  .dflt_doc = "none (only root and the daemon's own user)", .check = check_nonempty,
	  .help = "Unix group whose members may run changing commands (apply, check, reload); looked up at start and at each reload." },
	{ .name = "max_concurrent_checks", TOP(max_concurrent), .type = TY_INT, .dflt = "4",
	  .min = 1, .max = 64,
	  .help = "How many targets may be checked at the same time." },
	{ .name = "connect_timeout", TOP(connect_timeout_ms), .type = TY_DURATION, .dflt = "10s",
	  .help = "Give up connecting to (or opening) a target after this long; the target becomes unreachable." },
	{ .name = "query_timeout", TOP(query_timeout_ms), .type = TY_DURATION, .dflt = "30s",
	  .help = "Give up on the introspection query of a target after this long." },
	{ .name = "retry_backoff_max", TOP(backoff_max_ms), .type = TY_DURATION, .dflt = "10m",
	  .help = "Longest wait between retries of an unreachable target (the wait doubles up to this)." },
	{ .name = "apply_lock_timeout", TOP(lock_timeout_ms), .type = TY_DURATION, .dflt = "5s",
	  .help = "lock_timeout of the migration transaction: DDL never waits longer behind other sessions." },
	{ .name = "apply_statement_timeout", TOP(statement_timeout_ms), .type = TY_DURATION,
	  .dflt = "60s",
	  .help = "statement_timeout of each statement of the migration transaction." },
	{ .name = "sql_dir", TOP(sql_dir), .type = TY_PATH, .dflt = SW_SQLDIR,
	  .help = "Old name of definition: the directory of the SQL files, which is now the definition's; used as definition when that is not set." },
	{ .name = "definition", TOP(definition), .type = TY_PATH, .flags = KF_NULLABLE,
	  .dflt_doc = "the shipped definition prompter (" SW_DEFINITION_DIR ")",
	  .help = "Directory of the schema definition the targets are checked against: definition.yaml, its SQL and compiled/ (see --compile-definition). Loaded at start and at each reload; a bad or stale one is refused and the running one kept." },
	{ .name = "revision", TOP(revision_v7), .type = TY_STRING, .flags = KF_NULLABLE,
	  .dflt_doc = "none (deprecated)", .check = check_revision,
	  .help = "Deprecated, no effect (--check-config and a reload warn when it is set): the revision id written after an upgrade is the definition's id: of that revision." },
	{ .name = "previous_revision", TOP(revision_prev), .type = TY_STRING, .flags = KF_NULLABLE,
	  .dflt_doc = "none (deprecated)", .check = check_prev_revision,
	  .help = "Deprecated, no effect (--check-config and a reload warn when it is set): the row written after a downgrade below the first revision is the definition's previous: of that revision (none: no row)." },
	{ .name = "alert_command", TOP(alert_command), .type = TY_ARGV, .flags = KF_NULLABLE,
	  .dflt_doc = "none",
	  .help = "Program and arguments run on every state change, as a list (never through a shell); the event is in its environment and, as JSON, on its stdin. Events are kept in state.db until it exits 0 and delivered in order." },
	{ .name = "alert_timeout", TOP(alert_timeout_ms), .type = TY_DURATION, .dflt = "10s",
	  .help = "The alert command is killed after this long; the event is then retried (1 s, doubling to 60 s)." },
	{ .name = "metrics", TOP(metrics_listen), .type = TY_STRING,
	  .flags = KF_RESTART | KF_NULLABLE, .dflt_doc = "off", .check = check_hostport,
	  .help = "Address (host:port) of the metrics listener, e.g. 127.0.0.1:9187." },
	{ .name = "keep_connections", TOP(keep_connections), .type = TY_BOOL, .dflt = "true",
	  .help = "Keep each PostgreSQL target's connection open between checks (a reconnect when the server closes it); false connects anew for every check." },
	{ .name = "max_connections_per_server", TOP(max_conn_per_server), .type = TY_INT,
	  .dflt = "10", .min = 1, .max = 10000,
	  .help = "Most connections the daemon opens to one PostgreSQL server (host and port) at a time; targets beyond it take turns, so set it to at least the number of targets on that server for every connection to be kept." },
	{ .name = "targets", TOP(targets), .off_count = offsetof(struct config, ntargets),
	  .type = TY_TARGETS, .flags = KF_NULLABLE, .dflt_doc = "none",
	  .help = "The databases to watch: a list of mappings with the target keys below." },
	{ .name = "groups", TOP(groups), .off_count = offsetof(struct config, ngroups),
	  .type = TY_GROUPS, .flags = KF_NULLABLE, .dflt_doc = "none",
	  .help = "Sets of targets whose schemas must stay identical to each other: a list of mappings with the group keys below." },

	/* ---- each entry of targets ---- */
	{ .name = "name", TGT(name), .type = TY_STRING, .flags = KF_REQUIRED,
	  .check = check_name,
	  .help = "Unique name of the target: letters, digits, \"_\", \".\" and \"-\"." },
	{ .name = "postgresql", TGT(conninfo), .type = TY_STRING, .check = check_conninfo,
	  .flags = KF_DBURL, .dflt_doc = "none",
	  .help = "A libpq connection string or URI, or a SQLAlchemy postgresql+DRIVER:// URL (the driver part is ignored); keep passwords in ~/.pgpass or pg_service.conf. Exactly one of postgresql, sqlite and url." },
	{ .name = "sqlite", TGT(path), .type = TY_PATH, .flags = KF_DBURL, .dflt_doc = "none",
	  .help = "Path of an SQLite database file, or a SQLAlchemy URL: sqlite:///relative/path.db (relative to this file's directory, like any path here) or sqlite:////absolute/path.db. Exactly one of postgresql, sqlite and url." },
	{ .name = "url", TGT(url), .type = TY_STRING, .dflt_doc = "none",
	  .help = "The database as a developer's URL (what DB_URL holds): an SQLite path or sqlite:/// URL, a libpq string or URI, or a SQLAlchemy postgresql+DRIVER:// URL; the kind of target follows from it. Exactly one of postgresql, sqlite and url." },
	{ .name = "schema", TGT(schema), .type = TY_STRING, .dflt = "public",
	  .check = check_nonempty,
	  .help = "PostgreSQL schema holding the V7 tables (postgresql targets only)." },
	{ .name = "schemas", TGT(schemas), .off_count = offsetof(struct cfg_target, nschemas),
	  .type = TY_STRLIST, .dflt_doc = "none (one schema: schema)",
	  .help = "PostgreSQL, one schema per tenant: glob patterns (\"*\" any run of characters, \"?\" one) such as [tenant_*], instead of schema. Every matching schema (pg_* and information_schema excepted) is checked against the definition as its own row TARGET/SCHEMA, all of them with one query per check; new schemas join at the next check, a dropped one is reported once (removed) and forgotten." },
	{ .name = "definition", TGT(definition), .type = TY_PATH, .flags = KF_NULLABLE,
	  .dflt_doc = "the top-level definition",
	  .help = "The definition this target is checked against, instead of the top-level one." },
	{ .name = "expect", TGT(expect), .type = TY_STRING, .flags = KF_NULLABLE,
	  .dflt_doc = "the last revision of the definition", .check = check_nonempty,
	  .help = "The revision (an id of the definition's chain) this target must be at: an earlier one is pending, a later one ahead." },
	{ .name = "scope", TGT(scope), .type = TY_STRING, .dflt = "definition",
	  .check = check_scope,
	  .help = "What is compared: \"definition\", only the objects the definition names (other tables, views, functions... are none of the daemon's business); \"schema\", the whole schema (PostgreSQL: schema or each of schemas; SQLite: the main database) must equal the definition and anything extra (a table, a view, a function...) is drift. The version table is the definition's and never extra." },
	{ .name = "auto_apply", TGT(auto_apply), .type = TY_BOOL, .dflt = "false",
	  .help = "Apply the V7 upgrade by itself when the target is pending." },
	{ .name = "ddl_events", TGT(ddl_events), .type = TY_BOOL, .dflt = "false",
	  .help = "PostgreSQL: check as soon as the event trigger of sql/ddl-events.postgresql.sql (schemawatchd --install-ddl-events) reports DDL, besides polling; needs keep_connections." },
	{ .name = "interval", TGT(interval_ms), .type = TY_DURATION, .flags = KF_NULLABLE,
	  .dflt_doc = "the top-level interval", .min = SW_MIN_INTERVAL_MS,
	  .help = "How often this target is checked; at least 100ms." },

	/* ---- each entry of groups ---- */
	{ .name = "name", GRP(name), .type = TY_STRING, .flags = KF_REQUIRED,
	  .check = check_name,
	  .help = "Unique name of the group: letters, digits, \"_\", \".\" and \"-\"." },
	{ .name = "members", GRP(members), .off_count = offsetof(struct cfg_group, nmembers),
	  .type = TY_STRLIST, .flags = KF_REQUIRED,
	  .help = "Names of at least two distinct targets; an alert is raised when their schemas differ from each other." },
};

const size_t cfg_nkeys = sizeof cfg_keys / sizeof cfg_keys[0];

_Static_assert(sizeof cfg_keys / sizeof cfg_keys[0] <= CFG_KEYS_MAX,
    "the key table outgrew CFG_KEYS_MAX: raise it in cfg_keys.h");

static const char *const type_name[] = {
	[TY_DURATION] = "duration",
	[TY_STRING] = "string",
	[TY_PATH] = "path",
	[TY_BOOL] = "bool",
	[TY_INT] = "integer",
	[TY_STRLIST] = "list of strings",
	[TY_ARGV] = "list of strings (program and arguments)",
	[TY_TARGETS] = "list of targets",
	[TY_GROUPS] = "list of groups",
};

const char *
cfg_type_name(enum cfg_type t)
{
	return type_name[t];
}

char *
cfg_quoted(const char *s)
{
	struct sbuf sb;
	size_t n;

	sbuf_init(&sb);
	sbuf_addc(&sb, '"');
	for (n = 0; *s != '\0'; s++, n++) {
		if (n == 60) {
			sbuf_add(&sb, "...");
			break;
		}
		if (*s == '"' || *s == '\\')
			sbuf_printf(&sb, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			sbuf_printf(&sb, "\\x%02x", (unsigned char)*s);
		else
			sbuf_addc(&sb, *s);
	}
	sbuf_addc(&sb, '"');
	return sbuf_steal(&sb);
}

/* ---- checks of single string values ------------------------------------ */

static char *
check_name(const char *v)
{
	const char *s;
	char *q, *msg;

	for (s = v; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("_.-", *s) == NULL)
			break;
	if (*v != '\0' && *s == '\0')
		return NULL;
	q = cfg_quoted(v);
	msg = xasprintf("invalid name %s: use letters, digits, \"_\", \".\" and \"-\"", q);
	free(q);
	return msg;
}

static char *
check_conninfo(const char *v)
{
	if (conninfo_valid(v))
		return NULL;
	return xstrdup("not a valid libpq connection string or URI "
	    "(not shown here: it may hold a password)");
}

static char *
check_hostport(const char *v)
{
	const char *colon = strrchr(v, ':');
	char *end, *q, *msg;
	long port;

	if (colon != NULL && colon != v && colon[1] != '\0') {
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (errno == 0 && *end == '\0' && port >= 1 && port <= 65535 &&
		    isdigit((unsigned char)colon[1]))
			return NULL;
	}
	q = cfg_quoted(v);
	msg = xasprintf("expected host:port like 127.0.0.1:9187, got %s", q);
	free(q);
	return msg;
}

/* alembic_version.version_num is varchar(32). */
static char *
check_revision_len(const char *v, size_t min)
{
	char *q, *msg;
	size_t n = strlen(v);

	if (n >= min && n <= 32)
		return NULL;
	q = cfg_quoted(v);
	msg = xasprintf("expected a revision id of %zu to 32 characters, got %s", min, q);
	free(q);
	return msg;
}

static char *
check_revision(const char *v)
{
	return check_revision_len(v, 1);
}

static char *
check_prev_revision(const char *v)
{
	return check_revision_len(v, 0);
}

static char *
check_nonempty(const char *v)
{
	return *v != '\0' ? NULL : xstrdup("expected a non-empty string");
}

/* definitions.md names two scopes: the definition's objects only (the
 * default), or the whole schema, where anything extra is drift. */
static char *
check_scope(const char *v)
{
	if (strcmp(v, "definition") == 0 || strcmp(v, "schema") == 0)
		return NULL;
	return xstrdup("expected \"definition\" or \"schema\"");
}

/* ---- lookups --------------------------------------------------------------- */

/* Levenshtein distance, for "did you mean"; SIZE_MAX for names longer than
 * any key (no suggestion rather than a big table on the stack). */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, tmp, best;
	size_t row[64];

	if (lb >= sizeof row / sizeof row[0] || la >= 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const struct cfg_key *
cfg_key_find(enum cfg_scope scope, const char *name)
{
	size_t i;

	for (i = 0; i < cfg_nkeys; i++)
		if (cfg_keys[i].scope == scope && strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

const char *
cfg_key_suggest(enum cfg_scope scope, const char *name)
{
	size_t i, d, best = 3;	/* two edits at most: further is a guess */
	const char *which = NULL;

	for (i = 0; i < cfg_nkeys; i++) {
		if (cfg_keys[i].scope != scope)
			continue;
		if ((d = edit_distance(name, cfg_keys[i].name)) < best) {
			best = d;
			which = cfg_keys[i].name;
		}
	}
	return which;
}

size_t
cfg_key_index(const struct cfg_key *k)
{
	return (size_t)(k - cfg_keys);
}

/* ---- the man page ---------------------------------------------------------- */

static const char *const scope_title[] = {
	[SC_TOP] = "Top-level keys",
	[SC_TARGET] = "Target keys (each entry of targets)",
	[SC_GROUP] = "Group keys (each entry of groups)",
};

/* man(7) text: a backslash is \e, a hyphen \-, and a line must not start
 * with a control character. */
static void
man_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void
cfg_keys_print_man(FILE *out)
{
	enum cfg_scope scope;
	const struct cfg_key *k;
	size_t i;

	for (scope = SC_TOP; scope <= SC_GROUP; scope++) {
		fprintf(out, ".SS %s\n", scope_title[scope]);
		for (i = 0; i < cfg_nkeys; i++) {
			k = &cfg_keys[i];
			if (k->scope != scope)
				continue;
			fputs(".TP\n.B ", out);
			man_text(out, k->name);
			fputc('\n', out);
			man_text(out, k->help);
			fputs("\nType: \\fI", out);
			man_text(out, cfg_type_name(k->type));
			if (k->type == TY_INT)
				fprintf(out, "\\fP, from %d to %d.\n", k->min, k->max);
			else if (k->type == TY_DURATION && k->min > 0)
				fprintf(out, "\\fP, at least %dms.\n", k->min);
			else
				fputs("\\fP.\n", out);
			if (k->flags & KF_REQUIRED)
				fputs("Required.\n", out);
			else {
				fputs("Default: ", out);
				if (k->dflt != NULL) {
					fputs("\\fB", out);
					man_text(out, k->dflt);
					fputs("\\fP", out);
				} else
					man_text(out, k->dflt_doc != NULL ? k->dflt_doc : "none");
				fputs(".\n", out);
			}
			fputs(k->flags & KF_RESTART ?
			    "A reload does not change it: it takes effect at restart.\n" :
			    "A reload applies a change.\n", out);
		}
	}
}
