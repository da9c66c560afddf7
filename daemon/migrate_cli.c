/* migrate_cli.c — `schemawatchd --apply TARGET [--downgrade] [--dry-run]
 * [--json]`: one apply in the foreground, the outcome on stdout, the log on
 * stderr, the exit status MIGRATE_EXIT_*. A root like once.c: it uses only
 * migrate.h's public API. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "defset.h"
#include "log.h"
#include "migrate.h"
#include "report.h"

static void
cli_print(const struct migrate_result *r)
{
	const char *action = migrate_action_name(r->downgrade);

	switch (r->outcome) {
	case MIGRATE_APPLIED:
		printf("%s: %s applied (%s -> %s) in %lld ms\n", r->target, action,
		    tgt_state_name(r->before), tgt_state_name(r->after),
		    (long long)r->duration_ms);
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

int
migrate_cli(const struct config *cfg, const char *target, bool downgrade, bool dry_run,
    bool json)
{
	struct migrate_req req = { cfg, NULL, downgrade, dry_run };
	struct migrate_result r;
	const struct definition *def;
	struct defset *defs;
	json_t *o;
	char *text, *err = NULL;
	int rc, expected;

	if ((req.t = cfg_find_target(cfg, target)) == NULL) {
		fprintf(stderr, "schemawatchd: no target named \"%s\" in %s\n", target, cfg->file);
		return MIGRATE_EXIT_FAILED;
	}
	/* As in the daemon (apply.c): V7's SQL only where V7 is expected. */
	if ((defs = defset_load(cfg, &err)) == NULL) {
		fprintf(stderr, "schemawatchd: %s\n", err);
		free(err);
		return EX_CONFIG_STATUS;
	}
	def = defset_find(defs, target, &expected);
	if (def != NULL && strcmp(def->revs[expected].id, cfg->revision_v7) != 0) {
		fprintf(stderr, "schemawatchd: target %s expects %s: --apply only knows %s "
		    "(sql_dir) so far; apply its definition's SQL by hand\n", target,
		    def->revs[expected].id, cfg->revision_v7);
		defset_unref(defs);
		return MIGRATE_EXIT_FAILED;
	}
	defset_unref(defs);
	log_init("schemawatchd", LOG_SINK_STDERR, LOG_INFO);
	rc = migrate_run(&req, &r);
	migrate_log(&r, "by schemawatchd --apply");
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
