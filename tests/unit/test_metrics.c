/* Unit tests for metrics.c: the exposition text of a daemon's state (one
 * gauge per state, counters, groups, build info), label escaping, and the
 * format's rules (HELP/TYPE before the samples, one block per family). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "groups.h"
#include "metrics.h"
#include "reporter.h"
#include "tap.h"
#include "target.h"

static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
		p += n;
	}
	return false;
}

/* Every sample's family was declared (# TYPE) before it, each family once,
 * and the samples of a family are not split by another family. */
static bool
well_formed(const char *text, char *why, size_t whylen)
{
	char *copy = strdup(text), *line, *save = NULL, *declared[64], cur[128] = "";
	int ndeclared = 0, i;
	bool good = true;

	for (line = strtok_r(copy, "\n", &save); line != NULL && good;
	    line = strtok_r(NULL, "\n", &save)) {
		char name[128];

		if (strncmp(line, "# TYPE ", 7) == 0) {
			sscanf(line + 7, "%127s", name);
			for (i = 0; i < ndeclared; i++)
				if (strcmp(declared[i], name) == 0) {
					snprintf(why, whylen, "family %.60s declared twice", name);
					good = false;
				}
			declared[ndeclared++] = strdup(name);
			snprintf(cur, sizeof cur, "%s", name);
			continue;
		}
		if (line[0] == '#')
			continue;
		sscanf(line, "%127[^{ ]", name);
		if (strcmp(name, cur) != 0) {
			snprintf(why, whylen, "sample %.60s outside its family block (%.60s)", name, cur);
			good = false;
		}
	}
	for (i = 0; i < ndeclared; i++)
		free(declared[i]);
	free(copy);
	return good;
}

/* Feed one check result into the registry. */
static void
outcome(struct tgt_reg *reg, struct tgt *t, enum tgt_state st, int ndiffs, int64_t at,
    int64_t took)
{
	struct check_outcome o = { 0 };
	int i;

	o.state = st;
	o.finished_ms = at;
	o.duration_ms = took;
	o.diffs.v = calloc((size_t)ndiffs + 1, sizeof *o.diffs.v);
	for (i = 0; i < ndiffs; i++)
		o.diffs.v[i].object = strdup("prompt_templates");
	o.diffs.n = ndiffs;
	tgt_take_outcome(reg, t, &o);
	diff_list_free(&o.diffs);
}

int
main(void)
{
	static struct cfg_target targets[2] = {
		{ .name = "prod", .kind = CFG_PG, .conninfo = "", .schema = "public" },
		{ .name = "dev", .kind = CFG_SQLITE, .path = "dev.db" },
	};
	static char *members[] = { "dev", "prod" };
	static struct cfg_group cg = { .name = "dev-vs-prod", .members = members, .nmembers = 2 };
	struct config cfg = { 0 };
	struct reporter *rep = reporter_new(NULL, NULL);
	struct tgt_reg *reg = tgt_reg_new(rep);
	struct groups *gs;
	struct metrics_src src = { 0 };
	struct sbuf sb;
	struct tgt *prod;
	char *text, why[256] = "";
	int i;

	cfg.targets = targets;
	cfg.ntargets = 2;
	cfg.groups = &cg;
	cfg.ngroups = 1;
	tgt_reg_configure(reg, &cfg, NULL, NULL);
	gs = groups_new(reg, rep, &cfg);
	prod = tgt_find(reg, "prod");
	for (i = 0; i < 3; i++)
		outcome(reg, prod, ST_UNREACHABLE, 0, 1700000000000 + i, 5);
	for (i = 0; i < 3; i++)
		outcome(reg, prod, ST_DRIFT, 2, 1700000000100 + i, 5);
	outcome(reg, prod, ST_DRIFT, 2, 1700000000123, 42);
	/* A diverged group, as groups.c would leave it (dev is never read). */
	((struct grp *)groups_at(gs, 0))->state = GS_DIVERGED;
	src.targets = reg;
	src.groups = gs;
	src.started_ms = 1699999999000;

	text = metrics_render(&src);
	ok(well_formed(text, why, sizeof why), "HELP/TYPE come first and each family is one block");
	if (why[0] != '\0')
		printf("#   %s\n", why);
	ok(has_line(text, "# TYPE schemawatchd_target_state gauge"), "target_state is a gauge");
	ok(has_line(text, "schemawatchd_target_state{target=\"prod\",kind=\"postgresql\",state=\"drift\"} 1"),
	    "prod is in drift: 1");
	ok(has_line(text, "schemawatchd_target_state{target=\"prod\",kind=\"postgresql\",state=\"ok\"} 0"),
	    "prod is not ok: 0");
	ok(has_line(text, "schemawatchd_target_state{target=\"dev\",kind=\"sqlite\",state=\"unknown\"} 1"),
	    "dev is unknown: 1");
	ok(has_line(text, "schemawatchd_target_state{target=\"dev\",kind=\"sqlite\",state=\"applying\"} 0"),
	    "every state has its gauge (applying: 0)");
	ok(has_line(text, "schemawatchd_target_differences{target=\"prod\"} 2"), "differences");
	ok(has_line(text, "schemawatchd_target_last_check_timestamp_seconds{target=\"prod\"} 1700000000.123"),
	    "last check time in seconds with its milliseconds");
	ok(strstr(text, "schemawatchd_target_last_check_timestamp_seconds{target=\"dev\"}") == NULL,
	    "no last check time for a target never checked");
	ok(has_line(text, "schemawatchd_target_last_check_duration_seconds{target=\"prod\"} 0.042"),
	    "last check duration in seconds");
	ok(has_line(text, "# TYPE schemawatchd_target_check_failures_total counter"),
	    "failures are a counter");
	ok(has_line(text, "schemawatchd_target_check_failures_total{target=\"prod\"} 3"), "failures");
	ok(has_line(text, "schemawatchd_target_checks_total{target=\"prod\"} 7"), "checks");
	ok(has_line(text, "schemawatchd_group_diverged{group=\"dev-vs-prod\"} 1"), "group diverged: 1");
	ok(has_line(text, "schemawatchd_group_state{group=\"dev-vs-prod\",state=\"converged\"} 0"),
	    "group state gauges");
	ok(has_line(text, "schemawatchd_group_state{group=\"dev-vs-prod\",state=\"diverged\"} 1"),
	    "... the current one is 1");
	ok(has_line(text, "schemawatchd_build_info{version=\"" PACKAGE_VERSION "\"} 1"), "build info");
	ok(has_line(text, "schemawatchd_start_time_seconds 1699999999.000"), "start time");
	ok(text[strlen(text) - 1] == '\n', "the text ends with a newline");
	free(text);

	sbuf_init(&sb);
	metrics_label_value(&sb, "a\\b\"c\nd");
	is_str(sb.buf, "a\\\\b\\\"c\\nd", "label values escape backslash, quote and newline");
	sbuf_free(&sb);

	groups_free(gs);
	tgt_reg_free(reg);
	reporter_free(rep);
	return tap_done();
}
