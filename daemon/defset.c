/* defset.c — load the definitions of a configuration (see defset.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "defset.h"
#include "util.h"

#ifndef SW_DEFINITION_DIR
#define SW_DEFINITION_DIR "/usr/share/schemawatchd/definitions/prompter"
#endif

struct defset_tgt {
	char				*name;
	const struct definition		*def;	/* into defs */
	int				 expected;
};

struct defset {
	int			 refs;
	struct definition	**defs;		/* distinct directories */
	int			 ndefs;
	struct defset_tgt	*tgts;
	int			 ntgts;
};

const char *
defset_default_dir(void)
{
	const char *env = getenv(DEFSET_ENV);

	return env != NULL && *env != '\0' ? env : SW_DEFINITION_DIR;
}

const char *
defset_dir_of(const struct config *cfg, const struct cfg_target *t)
{
	if (t->definition != NULL)
		return t->definition;
	if (cfg->definition != NULL)
		return cfg->definition;
	/* `sql_dir:` is the old name of `definition:` (the directory of the
	 * SQL files, which is now the definition's): a configuration that
	 * set it keeps meaning what it said. */
	if (cfg->sql_dir != NULL && strcmp(cfg->sql_dir, SW_SQLDIR) != 0)
		return cfg->sql_dir;
	return defset_default_dir();
}

/* A definition of the set by directory, loading it the first time. */
static const struct definition *
defset_get(struct defset *ds, const char *dir, char **err)
{
	struct definition *d;
	int i;

	for (i = 0; i < ds->ndefs; i++)
		if (strcmp(ds->defs[i]->dir, dir) == 0)
			return ds->defs[i];
	if ((d = def_load_full(dir, err)) == NULL)
		return NULL;
	/* def_load_full() keeps the directory absolute: compare like with like
	 * the next time, whatever spelling the other key used. */
	for (i = 0; i < ds->ndefs; i++)
		if (strcmp(ds->defs[i]->dir, d->dir) == 0) {
			def_free(d);
			return ds->defs[i];
		}
	ds->defs = xrealloc(ds->defs, (size_t)(ds->ndefs + 1) * sizeof *ds->defs);
	ds->defs[ds->ndefs++] = d;
	return d;
}

/* The expected revision of t in def, or -1 with *err naming where expect is. */
static int
defset_expected(const struct config *cfg, const struct cfg_target *t,
    const struct definition *def, char **err)
{
	int i;

	if (def->nrevs == 0) {
		*err = xasprintf("%s: definition %s has no revisions", def->dir, def->name);
		return -1;
	}
	if (t->expect == NULL)
		return def->nrevs - 1;
	if ((i = def_find(def, t->expect)) >= 0)
		return i;
	*err = xasprintf("%s:%d:%d: expect: \"%s\" is not a revision of definition %s "
	    "(%s .. %s)", cfg->file != NULL ? cfg->file : "(config)", t->expect_line,
	    t->expect_col, t->expect, def->name, def->revs[0].id, def->revs[def->nrevs - 1].id);
	return -1;
}

struct defset *
defset_load(const struct config *cfg, char **err)
{
	struct defset *ds = xcalloc(1, sizeof *ds);
	const struct cfg_target *t;
	const struct definition *def;
	const char *dir;
	enum cat_dialect d;
	int i;

	ds->refs = 1;
	ds->tgts = xcalloc((size_t)cfg->ntargets + 1, sizeof *ds->tgts);
	/* The top-level one is loaded even with no target using it: a typo in
	 * it should not wait until the first target is added. */
	if (defset_get(ds, cfg->definition != NULL ? cfg->definition :
	    cfg->sql_dir != NULL && strcmp(cfg->sql_dir, SW_SQLDIR) != 0 ? cfg->sql_dir :
	    defset_default_dir(), err) == NULL)
		goto fail;
	for (i = 0; i < cfg->ntargets; i++) {
		t = &cfg->targets[i];
		dir = defset_dir_of(cfg, t);
		if ((def = defset_get(ds, dir, err)) == NULL)
			goto fail;
		d = t->kind == CFG_PG ? CAT_PG : CAT_SQLITE;
		if (!def->has[d]) {
			*err = xasprintf("%s:%d:1: target %s is a %s database, but definition %s "
			    "has no %s revisions", cfg->file != NULL ? cfg->file : "(config)",
			    t->line, t->name, cat_dialect_name(d), def->name, cat_dialect_name(d));
			goto fail;
		}
		if ((ds->tgts[i].expected = defset_expected(cfg, t, def, err)) < 0)
			goto fail;
		ds->tgts[i].name = xstrdup(t->name);
		ds->tgts[i].def = def;
		ds->ntgts++;
	}
	return ds;
fail:
	defset_unref(ds);
	return NULL;
}

struct defset *
defset_ref(struct defset *ds)
{
	ds->refs++;
	return ds;
}

void
defset_unref(struct defset *ds)
{
	int i;

	if (ds == NULL || --ds->refs > 0)
		return;
	for (i = 0; i < ds->ntgts; i++)
		free(ds->tgts[i].name);
	free(ds->tgts);
	for (i = 0; i < ds->ndefs; i++)
		def_free(ds->defs[i]);
	free(ds->defs);
	free(ds);
}

const struct definition *
defset_find(const struct defset *ds, const char *target, int *expected)
{
	int i;

	for (i = 0; ds != NULL && i < ds->ntgts; i++)
		if (strcmp(ds->tgts[i].name, target) == 0) {
			*expected = ds->tgts[i].expected;
			return ds->tgts[i].def;
		}
	return NULL;
}
