/* migrate_cli.c — `schemawatchd --apply TARGET [--to REV] [--downgrade]
 * [--dry-run] [--json]`: one apply in the foreground, the outcome on stdout, the log on
 * stderr, the exit status MIGRATE_EXIT_*. A root like once.c.
 *
 * Every apply must be recorded whichever way it came (history, alert hook,
 * the daemon's status at once). So when the configuration's daemon is
 * running (its control socket accepts a connection), the apply is not run
 * here behind its back: it is asked of the daemon, exactly as
 * `schemawatchctl apply` does, and the daemon's answer is printed. The
 * daemon then holds the target's checks, records the apply with its true
 * before/after, runs the hook and re-checks the target. Only when no daemon
 * listens (no socket, or a stale one) does the apply run in this process; it
 * is then stored in state.db (history and the alert outbox, which the
 * daemon delivers at its next start) when the state directory is writable. */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "defset.h"
#include "history.h"
#include "log.h"
#include "migrate.h"
#include "pgcat.h"
#include "report.h"
#include "util.h"

/* How long to wait for the daemon's answer: an apply waits for locks and
 * runs DDL; the daemon's own timeouts end it well before this. */
#define CLI_DAEMON_WAIT_S	3600

static void
cli_print(const struct migrate_result *r)
{
	const char *action = migrate_action_name(r->downgrade);

	switch (r->outcome) {
	case MIGRATE_APPLIED:
		if (r->nothing_to_do) {
			printf("%s: already at %s (the target is %s); nothing to do\n", r->target,
			    r->to_rev != NULL ? r->to_rev : "the revision", tgt_state_name(r->before));
			break;
		}
		printf("%s: %s applied (%s -> %s) in %lld ms: %s -> %s in %d step%s\n", r->target,
		    action, tgt_state_name(r->before), tgt_state_name(r->after),
		    (long long)r->duration_ms, r->from_rev != NULL ? r->from_rev : "?",
		    r->to_rev != NULL ? r->to_rev : "?", r->steps, r->steps == 1 ? "" : "s");
		break;
	case MIGRATE_DRY_RUN:
		fputs(r->plan, stdout);
		printf("%s: dry run: the %s would run (the target is %s); nothing was changed\n",
		    r->target, action, tgt_state_name(r->before));
		break;
	case MIGRATE_REFUSED:
	case MIGRATE_FAILED:
		/* The verdict comes last, after what it is about. */
		if (r->diffs.n > 0) {
			report_diffs_human(stdout, &r->diffs, "  ");
			putchar('\n');
		}
		printf("%s: %s %s, nothing was changed: %s\n", r->target, action,
		    migrate_outcome_name(r->outcome), r->error);
		break;
	}
}

/* ---- asking the running daemon ------------------------------------------------ */

/* A connected socket to the daemon, -1 when none listens (ENOENT,
 * ECONNREFUSED: run here), -2 when one may but cannot be asked (*why set). */
static int
cli_connect(const char *path, const char **why)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { CLI_DAEMON_WAIT_S, 0 };
	int fd, e;

	if (path == NULL || strlen(path) >= sizeof sa.sun_path)
		return -1;
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		*why = strerror(errno);
		return -2;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		e = errno;
		close(fd);
		if (e == ENOENT || e == ECONNREFUSED || e == ENOTDIR)
			return -1;
		*why = strerror(e);
		return -2;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	return fd;
}

/* One request line out, one answer line back (blocking: no loop here). */
static json_t *
cli_exchange(int fd, const char *target, const struct migrate_req *mr, const char **why)
{
	json_t *args = json_pack("[s]", target), *req, *resp;
	struct sbuf sb;
	char *text, c;
	size_t off, len;
	ssize_t n;

	if (mr->downgrade)
		json_array_append_new(args, json_string("--downgrade"));
	if (mr->dry_run)
		json_array_append_new(args, json_string("--dry-run"));
	if (mr->force)
		json_array_append_new(args, json_string("--force"));
	if (mr->to != NULL) {
		json_array_append_new(args, json_string("--to"));
		json_array_append_new(args, json_string(mr->to));
	}
	req = json_pack("{s:i, s:s, s:o}", "version", 1, "command", "apply", "args", args);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	len = strlen(text);
	text[len++] = '\n';	/* json_dumps left room: it was NUL-terminated */
	for (off = 0; off < len; off += (size_t)n) {
		if ((n = write(fd, text + off, len - off)) <= 0) {
			*why = strerror(errno);
			free(text);
			return NULL;
		}
	}
	free(text);
	sbuf_init(&sb);
	while ((n = read(fd, &c, 1)) == 1 && c != '\n')
		sbuf_addc(&sb, c);
	text = sbuf_steal(&sb);
	if (n != 1) {
		*why = n == 0 ? "the daemon closed the connection" : strerror(errno);
		free(text);
		return NULL;
	}
	resp = json_loads(text, 0, NULL);
	free(text);
	if (!json_is_object(resp))
		*why = "unexpected answer";
	return resp;
}

static int
outcome_parse(const char *s)
{
	int i;

	for (i = MIGRATE_APPLIED; s != NULL && i <= MIGRATE_FAILED; i++)
		if (strcmp(s, migrate_outcome_name((enum migrate_outcome)i)) == 0)
			return i;
	return MIGRATE_FAILED;
}

static char *
jdup(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? xstrdup(v) : NULL;
}

/* The daemon's result (migrate_result_json) back into a migrate_result. */
static void
cli_result_from_json(const json_t *o, struct migrate_result *r)
{
	int st;

	memset(r, 0, sizeof *r);
	r->target = jdup(o, "target");
	r->downgrade = json_string_value(json_object_get(o, "action")) != NULL &&
	    strcmp(json_string_value(json_object_get(o, "action")), "downgrade") == 0;
	r->dry_run = json_is_true(json_object_get(o, "dry_run"));
	r->outcome = (enum migrate_outcome)outcome_parse(json_string_value(json_object_get(o, "outcome")));
	r->applied = r->outcome == MIGRATE_APPLIED;
	st = tgt_state_parse(json_string_value(json_object_get(o, "before")));
	r->before = st >= 0 ? (enum tgt_state)st : ST_UNKNOWN;
	st = tgt_state_parse(json_string_value(json_object_get(o, "after")));
	r->after = st >= 0 ? (enum tgt_state)st : ST_UNKNOWN;
	r->duration_ms = (int64_t)json_integer_value(json_object_get(o, "duration_ms"));
	r->error = jdup(o, "error");
	r->plan = jdup(o, "plan");
	r->nothing_to_do = json_is_true(json_object_get(o, "nothing_to_do"));
	r->rows_dropped = (int64_t)json_integer_value(json_object_get(o, "rows_dropped"));
	r->from_rev = jdup(o, "from");
	r->to_rev = jdup(o, "to");
	r->steps = (int)json_integer_value(json_object_get(o, "steps"));
	if (report_diffs_from_json(json_object_get(o, "differences"), &r->diffs) != 0)
		diff_list_free(&r->diffs);
}

/* 1: the daemon did it (*r filled); 0: no daemon, run here; -1: a daemon
 * listens but the apply could not be done through it (said on stderr). */
static int
cli_via_daemon(const struct config *cfg, const char *target, const struct migrate_req *mr,
    struct migrate_result *r)
{
	const char *why = NULL;
	json_t *resp, *err;
	int fd;

	if ((fd = cli_connect(cfg->socket_path, &why)) == -1)
		return 0;
	if (fd < 0) {
		fprintf(stderr, "schemawatchd: the daemon's socket %s cannot be used (%s): "
		    "not applying behind the running daemon's back\n", cfg->socket_path, why);
		return -1;
	}
	resp = cli_exchange(fd, target, mr, &why);
	close(fd);
	if (resp == NULL || !json_is_object(resp)) {
		fprintf(stderr, "schemawatchd: asking the daemon at %s to apply: %s\n",
		    cfg->socket_path, why != NULL ? why : "no answer");
		json_decref(resp);
		return -1;
	}
	if (!json_is_true(json_object_get(resp, "ok"))) {
		err = json_object_get(resp, "error");
		fprintf(stderr, "schemawatchd: the running daemon refused the apply: %s\n",
		    json_string_value(json_object_get(err, "message")) != NULL ?
		    json_string_value(json_object_get(err, "message")) : "no reason given");
		json_decref(resp);
		return -1;
	}
	cli_result_from_json(json_object_get(resp, "result"), r);
	json_decref(resp);
	return 1;
}

/* ---- no daemon: record it ourselves ---------------------------------------------- */

/* History and the outbox in state.db, as the daemon's reporter would: the
 * daemon runs the hook for it at its next start. Best effort: a state
 * directory this user cannot write is only a notice. */
static void
cli_record(const struct config *cfg, const struct migrate_result *r)
{
	struct hist_entry e = { 0 };
	struct hist_outbox o = { 0 };
	struct history *h;
	json_t *detail;
	char *err = NULL, *text, *env;

	struct stat sb;

	/* No state directory (a developer's one-off apply): nothing to say. */
	if (r->dry_run || cfg->state_dir == NULL || stat(cfg->state_dir, &sb) != 0)
		return;
	if ((h = history_open(cfg->state_dir, &err)) == NULL) {
		if (err != NULL)
			log_msg(LOG_NOTICE, "the apply is not recorded in history: %s", err);
		free(err);
		return;
	}
	detail = migrate_result_json(r, false);
	json_object_set_new(detail, "automatic", json_false());
	json_object_set_new(detail, "via", json_string("schemawatchd --apply"));
	text = json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(detail);
	e.kind = HIST_APPLY;
	e.name = r->target;
	e.state = (char *)migrate_history_state(r);
	e.prev_state = (char *)tgt_state_name(r->before);
	e.ndiffs = r->diffs.n;
	e.detail = text;
	env = xasprintf("SCHEMAWATCH_EVENT=%s\nSCHEMAWATCH_KIND=apply\nSCHEMAWATCH_TARGET=%s\n"
	    "SCHEMAWATCH_STATE=%s\nSCHEMAWATCH_PREVIOUS_STATE=%s\nSCHEMAWATCH_DIFFERENCES=%d\n",
	    r->outcome == MIGRATE_APPLIED ? "migration-applied" : "migration-failed", r->target,
	    e.state, e.prev_state, r->diffs.n);
	o.what = xasprintf("apply %s: %s", r->target, e.state);
	o.env = env;
	o.json = text;
	/* Only with an alert command: otherwise nobody would ever take it. */
	if (history_record_event(h, &e, cfg->alert_command != NULL ? &o : NULL, NULL, &err) != 0) {
		log_msg(LOG_WARNING, "the apply is not recorded in history: %s", err);
		free(err);
	}
	free(o.what);
	free(env);
	free(text);
	history_close(h);
}

/* TARGET/SCHEMA of a schemas: target: *row becomes that target for the
 * one schema (as the daemon's row is), *parent its name for the
 * definition. NULL and a message when the name is no such row. */
static const struct cfg_target *
cli_find_row(const struct config *cfg, const char *name, struct cfg_target *row,
    char **parent, int *rc)
{
	const char *slash = strchr(name, '/');
	const struct cfg_target *t;
	int i;

	*parent = NULL;
	*rc = MIGRATE_EXIT_FAILED;	/* no such target */
	if ((t = cfg_find_target(cfg, name)) != NULL) {
		if (t->nschemas == 0)
			return t;
		*rc = MIGRATE_EXIT_REFUSED;	/* as the daemon's apply refuses it */
		fprintf(stderr, "schemawatchd: target %s has schemas: apply one of its rows, "
		    "%s/SCHEMA\n", name, name);
		return NULL;
	}
	*parent = slash != NULL ? xstrndup(name, (size_t)(slash - name)) : NULL;
	t = *parent != NULL ? cfg_find_target(cfg, *parent) : NULL;
	for (i = 0; t != NULL && i < t->nschemas; i++)
		if (pgcat_schema_matches(t->schemas[i], slash + 1))
			break;
	if (t == NULL || i == t->nschemas) {
		fprintf(stderr, "schemawatchd: no target named \"%s\" in %s\n", name, cfg->file);
		return NULL;
	}
	*row = *t;
	row->name = (char *)name;
	row->schema = (char *)slash + 1;
	row->schemas = NULL;
	row->nschemas = 0;
	return row;
}

int
migrate_cli(const struct config *cfg, const char *target, const struct migrate_req *opts,
    bool json)
{
	struct migrate_req req = *opts;
	struct cfg_target row;
	char *parent = NULL;
	struct migrate_result r;
	struct defset *defs;
	json_t *o;
	char *text, *err = NULL;
	int rc;

	req.cfg = cfg;
	if ((req.t = cli_find_row(cfg, target, &row, &parent, &rc)) == NULL) {
		free(parent);
		return rc;
	}
	/* A definition that does not load is a configuration error (78), here
	 * as at the daemon's start, before anything is asked of anyone. */
	if ((defs = defset_load(cfg, &err)) == NULL) {
		fprintf(stderr, "schemawatchd: %s\n", err);
		free(err);
		free(parent);
		return EX_CONFIG_STATUS;
	}
	free(parent);
	defset_unref(defs);
	log_init("schemawatchd", LOG_SINK_STDERR, LOG_INFO);
	switch (cli_via_daemon(cfg, target, &req, &r)) {
	case 1:
		/* The daemon logged, recorded and alerted it. */
		rc = migrate_exit_status(&r);
		break;
	case 0:
		rc = migrate_run(&req, &r);
		migrate_log(&r, "by schemawatchd --apply");
		cli_record(cfg, &r);
		break;
	default:
		log_fini();
		return MIGRATE_EXIT_FAILED;
	}
	if (json) {
		o = migrate_result_json(&r, true);
		text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(text);
		free(text);
		json_decref(o);
	} else
		cli_print(&r);
	fflush(stdout);
	migrate_result_clear(&r);
	log_fini();
	return rc;
}
