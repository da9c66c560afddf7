/* catjson.h — a catalog as stable, diff-friendly JSON, and back.
 *
 * The compiled files of a definition (DIR/compiled/REVISION.DIALECT.json)
 * are catalogs written here: keys sorted, two-space indentation, one member
 * per line, tables in the catalog's order (dependency order), every other
 * list in the order the engine reported it. Two compilations of the same SQL
 * on the same engine give byte-identical files, so `git diff` shows what a
 * revision changed and a test can prove that the committed files are current.
 *
 * Texts are stored as the engine reported them (types, defaults, CHECK
 * bodies, predicates, generation expressions) and normalized again when
 * loaded, so a better normalizer needs no recompilation; index keys are
 * stored in their canonical form (catalog.h), the only form the model has. */
#ifndef SW_CATJSON_H
#define SW_CATJSON_H

#include <jansson.h>

#include "catalog.h"

/* The format tag written into every file; a file with another is refused. */
#define CATJSON_FORMAT "schemawatchd-catalog/1"

/* What a compiled file says about where it came from; any may be NULL. */
struct catjson_meta {
	char	*engine;	/* "PostgreSQL 15.18 ...", "SQLite 3.40.1" */
	char	*revision;	/* the definition's revision id */
	char	*sql_digest;	/* of the SQL it was compiled from (definition.c) */
};

/* The JSON text (ending with a newline) of a catalog, with the meta fields
 * that are not NULL (meta itself may be NULL). Caller frees. */
char		*catjson_dump(const struct catalog *, const struct catjson_meta *);

/* Parse a text written by catjson_dump. On success returns the catalog and,
 * when meta is not NULL, fills it (free with catjson_meta_free). On failure
 * returns NULL and *err (caller frees) names the place:
 * "tables[1].columns[2]: no \"type\"". */
struct catalog	*catjson_load(const char *text, struct catjson_meta *, char **err);
void		 catjson_meta_free(struct catjson_meta *);

/* Objects in their JSON form, as the compiled files and the PostgreSQL
 * catalog query both give them:
 *   [{"kind": K, "name": N, "table": T or absent, "properties": {KEY: TEXT}}]
 * kind "table" holds the options of table N (dropped when c has no such
 * table). Property values may be strings, booleans, integers or null
 * (absent). Added to c (not sorted: cat_sort_objects()); on error *err
 * names the place under `where`. */
bool		 catjson_add_objects(struct catalog *, const json_t *, const char *where,
		    char **err);
bool		 catjson_set_props(struct cat_props *, enum cat_dialect, const char *kind,
		    const json_t *, const char *where, char **err);

#endif
