/* report.c — rendering check results as aligned tables and as JSON. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "color.h"
#include "report.h"
#include "util.h"

json_t *
report_iso_time(int64_t ms)
{
	struct tm tm;
	time_t sec;
	char buf[64];

	if (ms <= 0)
		return json_null();
	sec = (time_t)(ms / 1000);
	if (gmtime_r(&sec, &tm) == NULL)
		return json_null();
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	return json_string(buf);
}

char *
report_diffs_summary(const struct diff_list *l, int max)
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	for (i = 0; i < l->n && i < max; i++) {
		sbuf_printf(&sb, "%s%s %s", i ? "; " : "", l->v[i].object,
		    diff_kind_name(l->v[i].kind));
		/* The object is the old name; a log line must say the new one. */
		if (diff_kind_is_rename(l->v[i].kind) && l->v[i].actual != NULL)
			sbuf_printf(&sb, " to %s", l->v[i].actual);
	}
	if (l->n > max)
		sbuf_printf(&sb, "; and %d more", l->n - max);
	return sbuf_steal(&sb);
}

json_t *
report_diffs_json(const struct diff_list *l)
{
	json_t *arr = json_array();
	const struct diff *d;
	int i;

	for (i = 0; l != NULL && i < l->n; i++) {
		d = &l->v[i];
		/* Every difference survives, whatever its text's encoding
		 * (json_pack "s" would drop the whole object). */
		json_array_append_new(arr, json_pack("{s:o, s:s, s:o, s:o}",
		    "object", utf8_json(d->object), "kind", diff_kind_name(d->kind),
		    "expected", utf8_json(d->expected), "actual", utf8_json(d->actual)));
	}
	return arr;
}

json_t *
report_target_json(const struct target_report *r)
{
	json_t *o = json_pack("{s:o, s:s, s:s}", "name", utf8_json(r->name), "kind", r->kind,
	    "state", tgt_state_name(r->state));

	report_revision_json(o, r);
	if (r->error != NULL)
		json_object_set_new(o, "error", utf8_json(r->error));
	json_object_set_new(o, "differences", report_diffs_json(r->diffs));
	return o;
}

void
report_revision_json(json_t *o, const struct target_report *r)
{
	json_object_set_new(o, "revision", r->revision != NULL ? utf8_json(r->revision) :
	    json_null());
	json_object_set_new(o, "expected", r->expected != NULL ? utf8_json(r->expected) :
	    json_null());
	if (r->state == ST_PENDING)
		json_object_set_new(o, "behind", json_integer(r->behind));
	if (r->state == ST_AHEAD)
		json_object_set_new(o, "ahead", json_integer(r->ahead));
	if (r->state == ST_DRIFT && r->closest != NULL)
		json_object_set_new(o, "closest", utf8_json(r->closest));
}

char *
report_revision_text(const struct target_report *r)
{
	const char *at = r->revision != NULL ? r->revision : "(none)";

	if (r->expected == NULL)
		return NULL;
	switch (r->state) {
	case ST_OK:
		return xstrdup(r->expected);
	case ST_PENDING:
		return xasprintf("%s, %d behind %s", at, r->behind, r->expected);
	case ST_AHEAD:
		return xasprintf("%s, %d ahead of %s", at, r->ahead, r->expected);
	case ST_DRIFT:
		if (r->closest != NULL && strcmp(r->closest, r->expected) != 0)
			return xasprintf("closest %s, expected %s", r->closest, r->expected);
		return xasprintf("expected %s", r->expected);
	default:
		return xasprintf("expected %s", r->expected);
	}
}

static char *
json_str_dup(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

int
report_diffs_from_json(const json_t *arr, struct diff_list *out)
{
	const json_t *o;
	struct diff *d;
	size_t i;
	int kind;

	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, o) {
		if (!json_is_object(o) || !json_is_string(json_object_get(o, "object")) ||
		    !json_is_string(json_object_get(o, "kind")))
			return -1;
		if ((kind = diff_kind_parse(json_string_value(json_object_get(o, "kind")))) < 0)
			return -1;
		out->v = xreallocarray(out->v, (size_t)out->n + 1, sizeof *out->v);
		d = &out->v[out->n++];
		memset(d, 0, sizeof *d);
		d->object = json_str_dup(o, "object");
		d->kind = kind;
		d->expected = json_str_dup(o, "expected");
		d->actual = json_str_dup(o, "actual");
		d->position = (int)i;
	}
	return 0;
}

void
ttable_init(struct text_table *t, int ncols)
{
	t->ncols = ncols;
	t->nrows = 0;
	t->cells = NULL;
}

void
ttable_row(struct text_table *t, ...)
{
	va_list ap;
	const char *s;
	int i;

	t->cells = xreallocarray(t->cells, (size_t)(t->nrows + 1) * (size_t)t->ncols,
	    sizeof *t->cells);
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		s = va_arg(ap, const char *);
		t->cells[t->nrows * t->ncols + i] = xstrdup(s != NULL ? s : "-");
	}
	va_end(ap);
	t->nrows++;
}

void
ttable_print(FILE *f, const struct text_table *t, const char *indent)
{
	int *w = xcalloc((size_t)t->ncols, sizeof *w), r, i, len;
	const char *cell;

	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			len = (int)strlen(t->cells[r * t->ncols + i]);
			if (len > w[i])
				w[i] = len;
		}
	for (r = 0; r < t->nrows; r++) {
		fputs(indent, f);
		for (i = 0; i < t->ncols; i++) {
			cell = t->cells[r * t->ncols + i];
			/* No padding after the last column: no trailing blanks. */
			if (i == t->ncols - 1)
				fprintf(f, "%s", cell);
			else
				fprintf(f, "%-*s  ", w[i], cell);
		}
		fputc('\n', f);
	}
	free(w);
}

void
ttable_free(struct text_table *t)
{
	int i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}

void
report_diffs_human(FILE *f, const struct diff_list *l, const char *indent)
{
	struct text_table t;
	int i;

	ttable_init(&t, 4);
	ttable_row(&t, "OBJECT", "KIND", "EXPECTED", "ACTUAL");
	for (i = 0; i < l->n; i++)
		ttable_row(&t, l->v[i].object, diff_kind_name(l->v[i].kind),
		    l->v[i].expected, l->v[i].actual);
	ttable_print(f, &t, indent);
	ttable_free(&t);
}

void
report_human(FILE *f, const struct target_report *r, int n)
{
	bool color = color_wanted(fileno(f));
	struct text_table t;
	char num[32], *st, *rev;
	int i;

	ttable_init(&t, 5);
	st = color_state(color, "STATE");	/* escapes of the same length */
	ttable_row(&t, "TARGET", "KIND", st, "DIFFERENCES", "REVISION");
	free(st);
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof num, "%d", r[i].diffs ? r[i].diffs->n : 0);
		st = color_state(color, tgt_state_name(r[i].state));
		rev = report_revision_text(&r[i]);
		ttable_row(&t, r[i].name, r[i].kind, st, num, rev);
		free(rev);
		free(st);
	}
	ttable_print(f, &t, "");
	ttable_free(&t);
	for (i = 0; i < n; i++) {
		if (r[i].error != NULL)
			fprintf(f, "\n%s: %s: %s\n", r[i].name, tgt_state_name(r[i].state), r[i].error);
		if (r[i].diffs != NULL && r[i].diffs->n > 0) {
			fprintf(f, "\n%s: %d difference%s\n", r[i].name, r[i].diffs->n,
			    r[i].diffs->n == 1 ? "" : "s");
			report_diffs_human(f, r[i].diffs, "  ");
		}
	}
}
