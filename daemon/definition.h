/* definition.h — a schema definition: a chain of revisions with their SQL,
 * and the catalogs the engines compiled from it (definitions.md).
 *
 * A definition is a directory: definition.yaml (name, version_table, the
 * revisions oldest first, each with an upgrade and an optional downgrade
 * file per dialect, and the optional cross-dialect `parity`), the SQL files,
 * and compiled/REVISION.DIALECT.json written by --compile-definition.
 * def_load() reads and checks the YAML; def_load_compiled() adds the
 * compiled catalogs and refuses them when missing or compiled from other SQL
 * than the files hold now. The daemon only ever uses both together. */
#ifndef SW_DEFINITION_H
#define SW_DEFINITION_H

#include <stdbool.h>

#include "catalog.h"

#define DEF_FILE		"definition.yaml"
#define DEF_COMPILED_DIR	"compiled"
/* Alembic's version table and its column width. */
#define DEF_VERSION_TABLE	"alembic_version"
#define DEF_REVISION_MAX	32

/* One dialect of one revision. */
struct def_step {
	char		*upgrade;	/* absolute path */
	char		*downgrade;	/* absolute path; NULL: cannot be downgraded */
	struct catalog	*compiled;	/* NULL until def_load_compiled() */
};

struct def_revision {
	char		*id;
	/* What the version table holds before this step's upgrade: the previous
	 * revision's id, for the first one `previous:` (NULL: no row). */
	char		*previous;
	struct def_step	 step[2];	/* indexed by enum cat_dialect */
	int		 line;		/* in definition.yaml, for messages */
};

/* PostgreSQL text -> SQLite text, as written and in canonical form (the
 * type or default normalized in its dialect, once, when the definition is
 * read: a translation runs per group check, on the event loop). */
struct def_map {
	char	**from;
	char	**to;
	char	**from_canon;
	char	**to_canon;
	int	  n;
};

struct definition {
	char			*dir;		/* absolute */
	char			*name;
	char			*version_table;	/* NULL: `none`, not recorded */
	bool			 has[2];	/* dialects covered, by enum cat_dialect */
	struct def_revision	*revs;		/* oldest first */
	int			 nrevs;
	struct def_map		 parity_types;
	struct def_map		 parity_defaults;
	bool			 has_parity;
	/* Every table any compiled catalog of the definition holds, parents
	 * first: what the probes read (filled by def_load_compiled()). */
	struct cat_strv		 tables;
	/* The names of every schema-level object (view, type, function...;
	 * a function's name without its arguments) any compiled catalog holds:
	 * what the probes read besides the tables' members. */
	struct cat_strv		 objects;
};

/* Read DIR/definition.yaml and check that every file it names exists.
 * On failure NULL and *err "FILE:LINE:COLUMN: message" (caller frees). */
struct definition	*def_load(const char *dir, char **err);
/* def_load() and the compiled catalogs. A compiled file that is missing,
 * unreadable, or compiled from other SQL than the chain holds now is refused
 * with a message naming the file and the command to run. */
struct definition	*def_load_full(const char *dir, char **err);
void			 def_free(struct definition *);

/* Index of a revision, -1 when not in the chain. */
int			 def_find(const struct definition *, const char *id);
/* DIR/compiled/ID.DIALECT.json; caller frees. */
char			*def_compiled_path(const struct definition *, int rev, enum cat_dialect);
/* A digest of the upgrade SQL of revisions 0..rev in a dialect, recorded in
 * the compiled file: a different digest means the SQL changed since it was
 * compiled. Content, not mtimes: a fresh clone gives every file the time of
 * the checkout, in no useful order. NULL when a file cannot be read (*err). */
char			*def_sql_digest(const struct definition *, int rev, enum cat_dialect,
			    char **err);
/* A PostgreSQL catalog with its types and defaults replaced by their SQLite
 * counterparts from `parity`, as a SQLite catalog without constraint names:
 * compared with a SQLite catalog, what remains is what differs between the
 * dialects. Caller frees. */
struct catalog		*def_parity_translate(const struct definition *, const struct catalog *pg);
/* The parity mapping of a PostgreSQL text (type or default), or NULL. */
const char		*def_map_get(const struct def_map *, const char *from);

#endif
