/* cfg.c — the configuration: YAML (libyaml document API) into an immutable,
 * validated struct config.
 *
 * Everything a user may write is described once, in keys[] below: name, scope
 * (top level, a target, a group), type, default, whether a reload may change
 * it, and one line of help. The parser walks a YAML mapping, looks each key up
 * in that table and hands the value to the one setter of its type; defaults go
 * through the same setters as text, so a default can never be something the
 * file could not say. cfg_print_keys_man() prints the same table, so the man
 * page cannot drift from the parser.
 *
 * Relative paths (socket, state_dir, sql_dir, a target's sqlite) are resolved
 * against the directory holding the configuration file, made absolute when
 * that directory exists: "sqlite: ./dev.db" in /srv/app/sw.yaml means
 * /srv/app/dev.db, whatever the daemon's working directory. For
 * cfg_load_string() the directory of `name` is used ("." when it has no
 * slash, i.e. the working directory). Defaults are never resolved.
 *
 * Errors are "FILE:LINE:COLUMN: message" with 1-based positions from libyaml's
 * marks; only the first error is reported. A PostgreSQL connection string is
 * never quoted in an error: it may hold a password. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>
#include <yaml.h>

#include "cfg.h"
#include "util.h"

#ifndef SW_SQLDIR
#define SW_SQLDIR "/usr/share/schemawatchd"
#endif

enum cfg_scope {
	SC_TOP,
	SC_TARGET,
	SC_GROUP,
};

enum cfg_type {
	TY_DURATION,	/* int64_t milliseconds, > 0 */
	TY_STRING,	/* char * */
	TY_PATH,	/* char *, relative to the config file's directory */
	TY_BOOL,	/* bool */
	TY_INT,		/* int, within [min, max] */
	TY_STRLIST,	/* char ** plus an int count at off_count */
	TY_ARGV,	/* char **, NULL-terminated; never a shell string */
	TY_TARGETS,	/* struct cfg_target * plus count */
	TY_GROUPS,	/* struct cfg_group * plus count */
};

#define KF_RESTART	0x1	/* a reload cannot change it: needs a restart */
#define KF_REQUIRED	0x2
#define KF_NULLABLE	0x4	/* "key:" with no value means "none" */

struct cfg_parse;

/* Extra validation of a string value: NULL when fine, else a malloc'd message. */
typedef char *(*cfg_check_fn)(const char *value);

struct cfg_key {
	const char	*name;
	enum cfg_scope	 scope;
	enum cfg_type	 type;
	size_t		 off;		/* field in struct config / cfg_target / cfg_group */
	size_t		 off_count;	/* TY_STRLIST, TY_TARGETS, TY_GROUPS: the int count */
	const char	*dflt;		/* parsed like file text; NULL: none */
	const char	*dflt_doc;	/* what the man page says when dflt is NULL */
	int		 flags;
	int		 min, max;	/* TY_INT */
	cfg_check_fn	 check;		/* TY_STRING extra validation */
	const char	*help;
};

static char	*check_name(const char *);
static char	*check_conninfo(const char *);
static char	*check_hostport(const char *);
static char	*check_revision(const char *);
static char	*check_prev_revision(const char *);
static char	*check_nonempty(const char *);

#define TOP(f)	.scope = SC_TOP, .off = offsetof(struct config, f)
#define TGT(f)	.scope = SC_TARGET, .off = offsetof(struct cfg_target, f)
#define GRP(f)	.scope = SC_GROUP, .off = offsetof(struct cfg_group, f)

/* The order here is the order of the man page. */
static const struct cfg_key keys[] = {
	/* ---- top level ---- */
	{ .name = "interval", TOP(interval_ms), .type = TY_DURATION, .dflt = "60s",
	  .help = "How often each target is checked, unless the target sets its own interval." },
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
	  .help = "Directory holding the V7 upgrade and downgrade SQL files." },
	{ .name = "revision", TOP(revision_v7), .type = TY_STRING, .dflt = "prompter_v7",
	  .check = check_revision,
	  .help = "Revision id written to alembic_version after an upgrade." },
	{ .name = "previous_revision", TOP(revision_prev), .type = TY_STRING,
	  .dflt = "prompter_v6", .check = check_prev_revision,
	  .help = "Revision id written to alembic_version after a downgrade; \"\" removes the row instead." },
	{ .name = "alert_command", TOP(alert_command), .type = TY_ARGV, .flags = KF_NULLABLE,
	  .dflt_doc = "none",
	  .help = "Program and arguments run on every state change, as a list (never through a shell); the event is in its environment and, as JSON, on its stdin." },
	{ .name = "alert_timeout", TOP(alert_timeout_ms), .type = TY_DURATION, .dflt = "10s",
	  .help = "The alert command is killed after this long." },
	{ .name = "metrics", TOP(metrics_listen), .type = TY_STRING,
	  .flags = KF_RESTART | KF_NULLABLE, .dflt_doc = "off", .check = check_hostport,
	  .help = "Address (host:port) of the metrics listener, e.g. 127.0.0.1:9187." },
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
	  .dflt_doc = "none",
	  .help = "A libpq connection string or URI; keep passwords in ~/.pgpass or pg_service.conf. Exactly one of postgresql and sqlite." },
	{ .name = "sqlite", TGT(path), .type = TY_PATH, .dflt_doc = "none",
	  .help = "Path of an SQLite database file. Exactly one of postgresql and sqlite." },
	{ .name = "schema", TGT(schema), .type = TY_STRING, .dflt = "public",
	  .check = check_nonempty,
	  .help = "PostgreSQL schema holding the V7 tables (postgresql targets only)." },
	{ .name = "auto_apply", TGT(auto_apply), .type = TY_BOOL, .dflt = "false",
	  .help = "Apply the V7 upgrade by itself when the target is pending." },
	{ .name = "interval", TGT(interval_ms), .type = TY_DURATION, .flags = KF_NULLABLE,
	  .dflt_doc = "the top-level interval",
	  .help = "How often this target is checked." },

	/* ---- each entry of groups ---- */
	{ .name = "name", GRP(name), .type = TY_STRING, .flags = KF_REQUIRED,
	  .check = check_name,
	  .help = "Unique name of the group: letters, digits, \"_\", \".\" and \"-\"." },
	{ .name = "members", GRP(members), .off_count = offsetof(struct cfg_group, nmembers),
	  .type = TY_STRLIST, .flags = KF_REQUIRED,
	  .help = "Names of at least two distinct targets; an alert is raised when their schemas differ from each other." },
};

#define NKEYS	(sizeof keys / sizeof keys[0])

static const char *const scope_title[] = {
	[SC_TOP] = "Top-level keys",
	[SC_TARGET] = "Target keys (each entry of targets)",
	[SC_GROUP] = "Group keys (each entry of groups)",
};

/* ---- parse state and errors ------------------------------------------- */

struct cfg_parse {
	const char	*file;		/* for messages */
	char		*basedir;	/* relative paths are resolved against it */
	yaml_document_t	*doc;
	struct config	*cfg;
	char		*err;		/* the first error, complete */
	const char	*label;		/* "target \"prod\"", for messages; NULL at top */
	const char	*where;		/* " in target \"prod\"" or "" */
	yaml_node_t	**group_members;	/* per group: its members node */
};

static int
perr_at(struct cfg_parse *p, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
perr_at(struct cfg_parse *p, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->err != NULL)
		return -1;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->err = xasprintf("%s:%zu:%zu: %s", p->file, line + 1, col + 1, msg);
	free(msg);
	return -1;
}

/* libyaml marks are 0-based; perr_at adds one. */
#define perr(p, node, ...) \
	perr_at((p), (node)->start_mark.line, (node)->start_mark.column, __VA_ARGS__)

/* A user's text in a message: escaped and cut short, so a stray binary blob
 * or a huge value cannot make the message unreadable. Caller frees. */
static char *
quoted(const char *s)
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

static const char *
node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a string";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static const char *
scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* "key:" alone, "key: ~", "key: null": YAML's null, only when not quoted. */
static bool
is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
		if (strcmp(scalar(n), nulls[i]) == 0)
			return true;
	return false;
}

static yaml_node_t *
node(struct cfg_parse *p, int id)
{
	return yaml_document_get_node(p->doc, id);
}

/* ---- paths ---------------------------------------------------------------- */

static char *
resolve_path(const char *base, const char *path)
{
	size_t blen;

	if (base == NULL || path[0] == '/')
		return xstrdup(path);
	/* SQLite's own spellings are not file names relative to anything. */
	if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
		return xstrdup(path);
	char *dir = xstrdup(base), *slash, *r;

	/* Fold leading "./" and "../" lexically, so that logs and status show
	 * /srv/app/dev.db rather than /srv/app/conf/../dev.db. */
	for (;;) {
		if (path[0] == '.' && path[1] == '/')
			path += 2;
		else if (path[0] == '.' && path[1] == '.' && path[2] == '/' &&
		    (slash = strrchr(dir, '/')) != NULL && strcmp(slash, "/..") != 0 &&
		    slash[1] != '\0') {
			*(slash == dir ? slash + 1 : slash) = '\0';
			path += 3;
		} else
			break;
		while (*path == '/')
			path++;
	}
	if (*path == '\0' || strcmp(path, ".") == 0)
		return dir;
	blen = strlen(dir);
	r = (blen > 0 && dir[blen - 1] == '/') ? xasprintf("%s%s", dir, path) :
	    xasprintf("%s/%s", dir, path);
	free(dir);
	return r;
}

/* The directory of a configuration file, absolute when it exists. */
static char *
config_dir(const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir, *abs;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == file)
		dir = xstrdup("/");
	else
		dir = xstrndup(file, (size_t)(slash - file));
	if ((abs = realpath(dir, NULL)) != NULL) {
		free(dir);
		return abs;
	}
	return dir;
}

/* ---- string checks ------------------------------------------------------ */

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
	q = quoted(v);
	msg = xasprintf("invalid name %s: use letters, digits, \"_\", \".\" and \"-\"", q);
	free(q);
	return msg;
}

static char *
check_conninfo(const char *v)
{
	PQconninfoOption *opts;
	char *errmsg = NULL;

	if ((opts = PQconninfoParse(v, &errmsg)) != NULL) {
		PQconninfoFree(opts);
		return NULL;
	}
	/* libpq's message quotes pieces of the string, which may be a password. */
	PQfreemem(errmsg);
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
	q = quoted(v);
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
	q = quoted(v);
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

/* ---- the types: text → field, node → field, compare, free ---------------- */

/* Scalar types convert text (from the file or a default) into the field;
 * p is NULL for defaults. Returns NULL or a malloc'd complaint. */
typedef char *(*from_text_fn)(struct cfg_parse *, const struct cfg_key *, const char *,
    void *field);
typedef int (*from_node_fn)(struct cfg_parse *, const struct cfg_key *, yaml_node_t *,
    void *base);

static char *
got(const char *expect, const char *text)
{
	char *q = quoted(text), *msg;

	msg = xasprintf("expected %s, got %s", expect, q);
	free(q);
	return msg;
}

static char *
duration_from_text(struct cfg_parse *p, const struct cfg_key *k, const char *text, void *f)
{
	int64_t ms;

	if (parse_duration_ms(text, &ms) < 0)
		return got("a duration like 30s", text);
	if (ms <= 0)
		return got("a duration greater than 0 like 30s", text);
	*(int64_t *)f = ms;
	return NULL;
}

static char *
string_from_text(struct cfg_parse *p, const struct cfg_key *k, const char *text, void *f)
{
	char *why;

	if (k->check != NULL && (why = k->check(text)) != NULL)
		return why;
	free(*(char **)f);
	*(char **)f = xstrdup(text);
	return NULL;
}

static char *
path_from_text(struct cfg_parse *p, const struct cfg_key *k, const char *text, void *f)
{
	if (*text == '\0')
		return xstrdup("expected a path, got an empty string");
	free(*(char **)f);
	*(char **)f = resolve_path(p != NULL ? p->basedir : NULL, text);
	return NULL;
}

static char *
bool_from_text(struct cfg_parse *p, const struct cfg_key *k, const char *text, void *f)
{
	static const struct {
		const char	*word;
		bool		 value;
	} words[] = {
		{ "true", true }, { "false", false }, { "yes", true }, { "no", false },
		{ "on", true }, { "off", false },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcasecmp(text, words[i].word) == 0) {
			*(bool *)f = words[i].value;
			return NULL;
		}
	}
	return got("true or false", text);
}

static char *
int_from_text(struct cfg_parse *p, const struct cfg_key *k, const char *text, void *f)
{
	char *end, *expect, *msg;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno == 0 && end != text && *end == '\0' && v >= k->min && v <= k->max) {
		*(int *)f = (int)v;
		return NULL;
	}
	expect = xasprintf("an integer from %d to %d", k->min, k->max);
	msg = got(expect, text);
	free(expect);
	return msg;
}

static const char *const scalar_expect[] = {
	[TY_DURATION] = "a duration like 30s",
	[TY_STRING] = "a string",
	[TY_PATH] = "a path",
	[TY_BOOL] = "true or false",
	[TY_INT] = "an integer",
};

static from_text_fn scalar_conv(enum cfg_type);

static void	 release_field(const struct cfg_key *, void *base);

/* The one setter of every scalar type: shape and null checks, then the
 * type's conversion; the complaint is placed at the value. */
static int
set_scalar(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	char *why;

	if (is_null(n)) {
		if (!(k->flags & KF_NULLABLE))
			return perr(p, n, "%s%s: needs a value (%s)", k->name, p->where,
			    scalar_expect[k->type]);
		release_field(k, base);
		return 0;
	}
	if (n->type != YAML_SCALAR_NODE)
		return perr(p, n, "%s%s: expected %s, got %s", k->name, p->where,
		    scalar_expect[k->type], node_kind(n));
	if ((why = scalar_conv(k->type)(p, k, scalar(n), (char *)base + k->off)) != NULL) {
		perr(p, n, "%s%s: %s", k->name, p->where, why);
		free(why);
		return -1;
	}
	return 0;
}

/* A sequence of non-empty strings; returns a NULL-terminated array. */
static int
string_items(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *seq, char ***out,
    int *count)
{
	yaml_node_item_t *it;
	yaml_node_t *item;
	char **v;
	int n = 0;

	v = xcalloc((size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) + 1,
	    sizeof *v);
	*out = v;
	*count = 0;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		item = node(p, *it);
		if (item->type != YAML_SCALAR_NODE)
			return perr(p, item, "%s%s: each element must be a string, got %s",
			    k->name, p->where, node_kind(item));
		if (*scalar(item) == '\0')
			return perr(p, item, "%s%s: elements must not be empty", k->name,
			    p->where);
		v[n++] = xstrdup(scalar(item));
		*count = n;
	}
	return 0;
}

static int
set_strlist(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	char ***field = (char ***)((char *)base + k->off);
	int *count = (int *)((char *)base + k->off_count);

	if (n->type != YAML_SEQUENCE_NODE)
		return perr(p, n, "%s%s: expected a list of strings like [a, b], got %s",
		    k->name, p->where, is_null(n) ? "nothing" : node_kind(n));
	release_field(k, base);
	return string_items(p, k, n, field, count);
}

static int
set_argv(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	char ***field = (char ***)((char *)base + k->off);
	int count;

	if (is_null(n)) {
		release_field(k, base);
		return 0;
	}
	if (n->type == YAML_SCALAR_NODE)
		return perr(p, n, "%s%s: must be a list of program and arguments like "
		    "[/usr/local/bin/alert, --to, ops], not a string: it is never run "
		    "through a shell", k->name, p->where);
	if (n->type != YAML_SEQUENCE_NODE)
		return perr(p, n, "%s%s: expected a list of program and arguments, got %s",
		    k->name, p->where, node_kind(n));
	if (n->data.sequence.items.top == n->data.sequence.items.start)
		return perr(p, n, "%s%s: the list is empty: it needs at least the program",
		    k->name, p->where);
	release_field(k, base);
	return string_items(p, k, n, field, &count);
}

static int	 set_targets(struct cfg_parse *, const struct cfg_key *, yaml_node_t *, void *);
static int	 set_groups(struct cfg_parse *, const struct cfg_key *, yaml_node_t *, void *);

static bool
str_equal(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
argv_equal(char **a, char **b)
{
	if (a == NULL || b == NULL)
		return a == b;
	for (; *a != NULL && *b != NULL; a++, b++)
		if (strcmp(*a, *b) != 0)
			return false;
	return *a == NULL && *b == NULL;
}

static bool
field_equal(const struct cfg_key *k, const void *a, const void *b)
{
	const void *fa = (const char *)a + k->off, *fb = (const char *)b + k->off;

	switch (k->type) {
	case TY_DURATION:
		return *(const int64_t *)fa == *(const int64_t *)fb;
	case TY_STRING:
	case TY_PATH:
		return str_equal(*(char *const *)fa, *(char *const *)fb);
	case TY_BOOL:
		return *(const bool *)fa == *(const bool *)fb;
	case TY_INT:
		return *(const int *)fa == *(const int *)fb;
	case TY_STRLIST:
	case TY_ARGV:
		return argv_equal(*(char **const *)fa, *(char **const *)fb);
	case TY_TARGETS:
	case TY_GROUPS:
		break;
	}
	return false;	/* not compared: reloadable anyway */
}

static void	 release_scope(enum cfg_scope, void *base);

static void
free_strv(char **v)
{
	char **s;

	if (v == NULL)
		return;
	for (s = v; *s != NULL; s++)
		free(*s);
	free(v);
}

/* Free a field and leave it "unset" (NULL, 0, false). */
static void
release_field(const struct cfg_key *k, void *base)
{
	void *f = (char *)base + k->off;
	int *count = (int *)((char *)base + k->off_count);
	struct cfg_target *t;
	struct cfg_group *g;
	int i;

	switch (k->type) {
	case TY_DURATION:
		*(int64_t *)f = 0;
		break;
	case TY_STRING:
	case TY_PATH:
		free(*(char **)f);
		*(char **)f = NULL;
		break;
	case TY_BOOL:
		*(bool *)f = false;
		break;
	case TY_INT:
		*(int *)f = 0;
		break;
	case TY_STRLIST:
	case TY_ARGV:
		free_strv(*(char ***)f);
		*(char ***)f = NULL;
		if (k->type == TY_STRLIST)
			*count = 0;
		break;
	case TY_TARGETS:
		t = *(struct cfg_target **)f;
		for (i = 0; i < *count; i++) {
			release_scope(SC_TARGET, &t[i]);
			free(t[i].conninfo_safe);
		}
		free(t);
		*(struct cfg_target **)f = NULL;
		*count = 0;
		break;
	case TY_GROUPS:
		g = *(struct cfg_group **)f;
		for (i = 0; i < *count; i++)
			release_scope(SC_GROUP, &g[i]);
		free(g);
		*(struct cfg_group **)f = NULL;
		*count = 0;
		break;
	}
}

static const struct {
	const char	*name;		/* as the man page shows it */
	from_text_fn	 from_text;	/* scalar types only */
	from_node_fn	 from_node;
} types[] = {
	[TY_DURATION] = { "duration", duration_from_text, set_scalar },
	[TY_STRING] = { "string", string_from_text, set_scalar },
	[TY_PATH] = { "path", path_from_text, set_scalar },
	[TY_BOOL] = { "bool", bool_from_text, set_scalar },
	[TY_INT] = { "integer", int_from_text, set_scalar },
	[TY_STRLIST] = { "list of strings", NULL, set_strlist },
	[TY_ARGV] = { "list of strings (program and arguments)", NULL, set_argv },
	[TY_TARGETS] = { "list of targets", NULL, set_targets },
	[TY_GROUPS] = { "list of groups", NULL, set_groups },
};

static from_text_fn
scalar_conv(enum cfg_type t)
{
	return types[t].from_text;
}

static void
release_scope(enum cfg_scope scope, void *base)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].scope == scope)
			release_field(&keys[i], base);
}

static void
apply_defaults(enum cfg_scope scope, void *base)
{
	char *why;
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].scope != scope || keys[i].dflt == NULL)
			continue;
		why = types[keys[i].type].from_text(NULL, &keys[i], keys[i].dflt,
		    (char *)base + keys[i].off);
		if (why != NULL) {
			/* A bad default is a bug in this file, not in the user's. */
			fprintf(stderr, "<2>cfg: bad default for %s: %s\n", keys[i].name, why);
			abort();
		}
	}
}

/* ---- mappings ------------------------------------------------------------ */

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

static const struct cfg_key *
key_find(enum cfg_scope scope, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].scope == scope && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static const char *
key_suggest(enum cfg_scope scope, const char *name)
{
	size_t i, d, best = 3;
	const char *which = NULL;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].scope != scope)
			continue;
		if ((d = edit_distance(name, keys[i].name)) < best) {
			best = d;
			which = keys[i].name;
		}
	}
	return which;
}

static int
unknown_key(struct cfg_parse *p, enum cfg_scope scope, yaml_node_t *kn)
{
	const char *hint = key_suggest(scope, scalar(kn));
	char *q = quoted(scalar(kn));

	if (hint != NULL)
		perr(p, kn, "unknown key %s%s (did you mean \"%s\"?)", q, p->where, hint);
	else
		perr(p, kn, "unknown key %s%s", q, p->where);
	free(q);
	return -1;
}

/* Walk one mapping: every key must be in the table for this scope, once;
 * its value goes to its type's setter. seen_key/seen_val (NKEYS each) say
 * which keys were present, for the checks the caller does afterwards. */
static int
parse_mapping(struct cfg_parse *p, enum cfg_scope scope, yaml_node_t *map, void *base,
    yaml_node_t **seen_key, yaml_node_t **seen_val)
{
	yaml_node_pair_t *pair;
	yaml_node_t *kn, *vn;
	const struct cfg_key *k;
	size_t idx, i;
	char *q;

	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		kn = node(p, pair->key);
		vn = node(p, pair->value);
		if (kn->type != YAML_SCALAR_NODE)
			return perr(p, kn, "keys must be plain words%s, got %s", p->where,
			    node_kind(kn));
		if ((k = key_find(scope, scalar(kn))) == NULL)
			return unknown_key(p, scope, kn);
		idx = (size_t)(k - keys);
		if (seen_key[idx] != NULL) {
			q = quoted(k->name);
			perr(p, kn, "duplicate key %s%s (first at line %zu)", q, p->where,
			    seen_key[idx]->start_mark.line + 1);
			free(q);
			return -1;
		}
		seen_key[idx] = kn;
		seen_val[idx] = vn;
		if (types[k->type].from_node(p, k, vn, base) < 0)
			return -1;
	}
	for (i = 0; i < NKEYS; i++) {
		if (keys[i].scope == scope && (keys[i].flags & KF_REQUIRED) &&
		    seen_key[i] == NULL)
			return perr(p, map, "%s has no \"%s\"", p->label, keys[i].name);
	}
	return 0;
}

/* The name of a target or group before its other keys are read, so that
 * every message about it can say which one it is. */
static const char *
peek_name(struct cfg_parse *p, yaml_node_t *map)
{
	yaml_node_pair_t *pair;
	yaml_node_t *kn, *vn;

	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		kn = node(p, pair->key);
		vn = node(p, pair->value);
		if (kn->type == YAML_SCALAR_NODE && strcmp(scalar(kn), "name") == 0 &&
		    vn->type == YAML_SCALAR_NODE && *scalar(vn) != '\0')
			return scalar(vn);
	}
	return NULL;
}

/* Parse one entry of targets or groups with labels set for its messages. */
static int
parse_entry(struct cfg_parse *p, enum cfg_scope scope, const char *what, yaml_node_t *map,
    int index, void *base, yaml_node_t **seen_key, yaml_node_t **seen_val)
{
	const char *name, *saved_label = p->label, *saved_where = p->where;
	char *label, *where, *q;
	int rc;

	if (map->type != YAML_MAPPING_NODE)
		return perr(p, map, "each entry of %ss must be a mapping with a name, got %s",
		    what, is_null(map) ? "nothing" : node_kind(map));
	if ((name = peek_name(p, map)) != NULL) {
		q = quoted(name);
		label = xasprintf("%s %s", what, q);
		free(q);
	} else
		label = xasprintf("%s #%d", what, index);
	where = xasprintf(" in %s", label);
	p->label = label;
	p->where = where;
	apply_defaults(scope, base);
	rc = parse_mapping(p, scope, map, base, seen_key, seen_val);
	p->label = saved_label;
	p->where = saved_where;
	free(label);
	free(where);
	return rc;
}

static size_t
key_index(enum cfg_scope scope, const char *name)
{
	return (size_t)(key_find(scope, name) - keys);
}

/* A target's own rules beyond single keys: exactly one kind, schema only on
 * PostgreSQL. */
static int
check_target(struct cfg_parse *p, struct cfg_target *t, yaml_node_t *map,
    yaml_node_t **seen_key)
{
	yaml_node_t *pg = seen_key[key_index(SC_TARGET, "postgresql")];
	yaml_node_t *lite = seen_key[key_index(SC_TARGET, "sqlite")];
	yaml_node_t *schema = seen_key[key_index(SC_TARGET, "schema")];
	char *q = quoted(t->name);
	int rc = 0;

	if (pg != NULL && lite != NULL) {
		/* Point at whichever came second: that is the one to remove. */
		rc = perr(p, pg->start_mark.index > lite->start_mark.index ? pg : lite,
		    "target %s has both \"postgresql\" and \"sqlite\"; use exactly one", q);
	} else if (pg == NULL && lite == NULL) {
		rc = perr(p, map, "target %s needs \"postgresql\" (a connection string) or "
		    "\"sqlite\" (a file)", q);
	} else if (lite != NULL && schema != NULL) {
		rc = perr(p, schema, "\"schema\" in target %s: only postgresql targets have "
		    "a schema", q);
	}
	free(q);
	if (rc < 0)
		return -1;
	t->kind = pg != NULL ? CFG_PG : CFG_SQLITE;
	if (t->kind == CFG_PG)
		t->conninfo_safe = cfg_conninfo_redact(t->conninfo);
	else {
		free(t->schema);	/* the default; meaningless for SQLite */
		t->schema = NULL;
	}
	t->line = (int)map->start_mark.line + 1;
	return 0;
}

static int
set_targets(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	struct config *cfg = base;
	yaml_node_t *seen_key[NKEYS], *seen_val[NKEYS], *map, *name_node;
	yaml_node_item_t *it;
	struct cfg_target *t;
	size_t nitems;
	char *q;
	int i;

	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return perr(p, n, "targets: expected a list of targets (\"- name: ...\"), got %s",
		    node_kind(n));
	nitems = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	cfg->targets = xcalloc(nitems, sizeof *cfg->targets);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		map = node(p, *it);
		t = &cfg->targets[cfg->ntargets++];	/* counted now: freed on error */
		memset(seen_key, 0, sizeof seen_key);
		memset(seen_val, 0, sizeof seen_val);
		if (parse_entry(p, SC_TARGET, "target", map, cfg->ntargets, t, seen_key,
		    seen_val) < 0 || check_target(p, t, map, seen_key) < 0)
			return -1;
		name_node = seen_val[key_index(SC_TARGET, "name")];
		for (i = 0; i < cfg->ntargets - 1; i++) {
			if (strcmp(cfg->targets[i].name, t->name) != 0)
				continue;
			q = quoted(t->name);
			perr(p, name_node, "duplicate target name %s (first defined at line %d)",
			    q, cfg->targets[i].line);
			free(q);
			return -1;
		}
	}
	return 0;
}

static int
check_group(struct cfg_parse *p, struct cfg_group *g, yaml_node_t *map, yaml_node_t *members)
{
	yaml_node_item_t *it;
	char *q, *qm;
	int i = 0, j;

	g->line = (int)map->start_mark.line + 1;
	q = quoted(g->name);
	if (g->nmembers < 2) {
		perr(p, members, "group %s needs at least 2 members, has %d", q, g->nmembers);
		free(q);
		return -1;
	}
	for (it = members->data.sequence.items.start; it < members->data.sequence.items.top;
	    it++, i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(g->members[i], g->members[j]) != 0)
				continue;
			qm = quoted(g->members[i]);
			perr(p, node(p, *it), "member %s appears twice in group %s", qm, q);
			free(qm);
			free(q);
			return -1;
		}
	}
	free(q);
	return 0;
}

static int
set_groups(struct cfg_parse *p, const struct cfg_key *k, yaml_node_t *n, void *base)
{
	struct config *cfg = base;
	yaml_node_t *seen_key[NKEYS], *seen_val[NKEYS], *map, *name_node;
	yaml_node_item_t *it;
	struct cfg_group *g;
	size_t nitems;
	char *q;
	int i;

	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return perr(p, n, "groups: expected a list of groups (\"- name: ...\"), got %s",
		    node_kind(n));
	nitems = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	cfg->groups = xcalloc(nitems, sizeof *cfg->groups);
	p->group_members = xcalloc(nitems, sizeof *p->group_members);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		map = node(p, *it);
		g = &cfg->groups[cfg->ngroups++];
		memset(seen_key, 0, sizeof seen_key);
		memset(seen_val, 0, sizeof seen_val);
		if (parse_entry(p, SC_GROUP, "group", map, cfg->ngroups, g, seen_key,
		    seen_val) < 0)
			return -1;
		p->group_members[cfg->ngroups - 1] = seen_val[key_index(SC_GROUP, "members")];
		if (check_group(p, g, map, p->group_members[cfg->ngroups - 1]) < 0)
			return -1;
		name_node = seen_val[key_index(SC_GROUP, "name")];
		for (i = 0; i < cfg->ngroups - 1; i++) {
			if (strcmp(cfg->groups[i].name, g->name) != 0)
				continue;
			q = quoted(g->name);
			perr(p, name_node, "duplicate group name %s (first defined at line %d)",
			    q, cfg->groups[i].line);
			free(q);
			return -1;
		}
	}
	return 0;
}

/* Members may name targets defined after the group: checked once all is read. */
static int
check_group_members(struct cfg_parse *p)
{
	struct config *cfg = p->cfg;
	yaml_node_item_t *it;
	struct cfg_group *g;
	char *qm, *qg;
	int i, j;

	for (i = 0; i < cfg->ngroups; i++) {
		g = &cfg->groups[i];
		it = p->group_members[i]->data.sequence.items.start;
		for (j = 0; j < g->nmembers; j++, it++) {
			if (cfg_find_target(cfg, g->members[j]) != NULL)
				continue;
			qm = quoted(g->members[j]);
			qg = quoted(g->name);
			perr(p, node(p, *it), "unknown target %s in members of group %s", qm, qg);
			free(qm);
			free(qg);
			return -1;
		}
	}
	return 0;
}

/* ---- loading ------------------------------------------------------------- */

/* libyaml reports reader errors (bad UTF-8, control characters) by byte
 * offset only; turn it into a line and column like the others. */
static void
offset_to_mark(const char *text, size_t len, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = *col = 0;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 0;
		} else
			(*col)++;
	}
}

static int
yaml_error(struct cfg_parse *p, yaml_parser_t *yp, const char *text, size_t len)
{
	size_t line, col;
	const char *problem = yp->problem != NULL ? yp->problem : "cannot parse";

	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		return perr_at(p, 0, 0, "out of memory while parsing YAML");
	case YAML_READER_ERROR:
		offset_to_mark(text, len, yp->problem_offset, &line, &col);
		return perr_at(p, line, col, "invalid input: %s", problem);
	default:
		if (yp->context != NULL)
			return perr_at(p, yp->problem_mark.line, yp->problem_mark.column,
			    "YAML syntax error: %s (%s at line %zu, column %zu)", problem,
			    yp->context, yp->context_mark.line + 1,
			    yp->context_mark.column + 1);
		return perr_at(p, yp->problem_mark.line, yp->problem_mark.column,
		    "YAML syntax error: %s", problem);
	}
}

static int
parse_document(struct cfg_parse *p)
{
	yaml_node_t *seen_key[NKEYS], *seen_val[NKEYS];
	yaml_node_t *root = yaml_document_get_root_node(p->doc);

	memset(seen_key, 0, sizeof seen_key);
	memset(seen_val, 0, sizeof seen_val);
	apply_defaults(SC_TOP, p->cfg);
	if (root == NULL || is_null(root))
		return 0;	/* an empty file: all defaults, nothing to watch */
	if (root->type != YAML_MAPPING_NODE)
		return perr(p, root, "the configuration must be a mapping of keys "
		    "(like \"interval: 60s\"), got %s", node_kind(root));
	if (parse_mapping(p, SC_TOP, root, p->cfg, seen_key, seen_val) < 0)
		return -1;
	return check_group_members(p);
}

static struct config *
load(const char *name, const char *text, size_t len, char **err)
{
	struct cfg_parse p;
	yaml_parser_t yp;
	yaml_document_t doc, extra;
	struct config *cfg;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.file = name;
	p.where = "";
	p.label = "the configuration";
	p.basedir = config_dir(name);
	cfg = xcalloc(1, sizeof *cfg);
	cfg->file = xstrdup(name);
	p.cfg = cfg;

	yaml_parser_initialize(&yp);
	yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
	if (!yaml_parser_load(&yp, &doc)) {
		yaml_error(&p, &yp, text, len);
	} else {
		p.doc = &doc;
		rc = parse_document(&p);
		/* A second document would be silently ignored: refuse it. */
		if (rc == 0) {
			if (!yaml_parser_load(&yp, &extra))
				rc = yaml_error(&p, &yp, text, len);
			else {
				if (yaml_document_get_root_node(&extra) != NULL)
					rc = perr_at(&p, extra.start_mark.line,
					    extra.start_mark.column,
					    "only one YAML document is allowed");
				yaml_document_delete(&extra);
			}
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&yp);
	free(p.basedir);
	free(p.group_members);
	if (rc < 0 || p.err != NULL) {
		cfg_free(cfg);
		if (err != NULL)
			*err = p.err != NULL ? p.err : xasprintf("%s: invalid configuration", name);
		else
			free(p.err);
		return NULL;
	}
	if (err != NULL)
		*err = NULL;
	return cfg;
}

struct config *
cfg_load(const char *path, char **err)
{
	struct config *cfg;
	size_t len;
	char *text;

	if ((text = read_file(path, &len)) == NULL) {
		if (err != NULL)
			*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	cfg = load(path, text, len, err);
	free(text);
	return cfg;
}

struct config *
cfg_load_string(const char *name, const char *text, char **err)
{
	return load(name, text, strlen(text), err);
}

void
cfg_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	release_scope(SC_TOP, cfg);
	free(cfg->file);
	free(cfg);
}

const struct cfg_target *
cfg_find_target(const struct config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->ntargets; i++)
		if (cfg->targets[i].name != NULL && strcmp(cfg->targets[i].name, name) == 0)
			return &cfg->targets[i];
	return NULL;
}

const struct cfg_group *
cfg_find_group(const struct config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->ngroups; i++)
		if (cfg->groups[i].name != NULL && strcmp(cfg->groups[i].name, name) == 0)
			return &cfg->groups[i];
	return NULL;
}

/* ---- connection strings -------------------------------------------------- */

static void
conninfo_add_value(struct sbuf *sb, const char *v)
{
	const char *s;

	if (*v != '\0' && strpbrk(v, " \t\n\r\f\v'\\") == NULL) {
		sbuf_add(sb, v);
		return;
	}
	sbuf_addc(sb, '\'');
	for (s = v; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			sbuf_addc(sb, '\\');
		sbuf_addc(sb, *s);
	}
	sbuf_addc(sb, '\'');
}

static bool
looks_like_conninfo(const char *v)
{
	return strchr(v, '=') != NULL || strncmp(v, "postgresql://", 13) == 0 ||
	    strncmp(v, "postgres://", 11) == 0;
}

static char *
redact(const char *conninfo, int depth)
{
	PQconninfoOption *opts, *o;
	char *errmsg = NULL, *inner;
	struct sbuf sb;

	if (conninfo == NULL || (opts = PQconninfoParse(conninfo, &errmsg)) == NULL) {
		PQfreemem(errmsg);
		return xstrdup("<unparseable connection string>");
	}
	sbuf_init(&sb);
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (sb.len > 0)
			sbuf_addc(&sb, ' ');
		sbuf_printf(&sb, "%s=", o->keyword);
		/* dispchar "*" is libpq's own mark for secrets (password,
		 * sslpassword); the name check covers anything it forgot. */
		if ((o->dispchar != NULL && o->dispchar[0] == '*') ||
		    strstr(o->keyword, "password") != NULL) {
			sbuf_add(&sb, "********");
		} else if (strcmp(o->keyword, "dbname") == 0 && depth == 0 &&
		    looks_like_conninfo(o->val)) {
			/* libpq may expand a dbname that is itself a connection string. */
			inner = redact(o->val, depth + 1);
			conninfo_add_value(&sb, inner);
			free(inner);
		} else
			conninfo_add_value(&sb, o->val);
	}
	PQconninfoFree(opts);
	return sbuf_steal(&sb);
}

char *
cfg_conninfo_redact(const char *conninfo)
{
	return redact(conninfo, 0);
}

/* ---- reload and documentation -------------------------------------------- */

char *
cfg_restart_needed(const struct config *old, const struct config *new)
{
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb);
	for (i = 0; i < NKEYS; i++) {
		if (keys[i].scope != SC_TOP || !(keys[i].flags & KF_RESTART) ||
		    field_equal(&keys[i], old, new))
			continue;
		if (sb.len > 0)
			sbuf_add(&sb, ", ");
		sbuf_add(&sb, keys[i].name);
	}
	return sb.len > 0 ? sbuf_steal(&sb) : NULL;
}

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
cfg_print_keys_man(FILE *out)
{
	enum cfg_scope scope;
	const struct cfg_key *k;
	size_t i;

	for (scope = SC_TOP; scope <= SC_GROUP; scope++) {
		fprintf(out, ".SS %s\n", scope_title[scope]);
		for (i = 0; i < NKEYS; i++) {
			k = &keys[i];
			if (k->scope != scope)
				continue;
			fputs(".TP\n.B ", out);
			man_text(out, k->name);
			fputc('\n', out);
			man_text(out, k->help);
			fputs("\nType: \\fI", out);
			man_text(out, types[k->type].name);
			if (k->type == TY_INT)
				fprintf(out, "\\fP, from %d to %d.\n", k->min, k->max);
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
