/* catalog.h — the normalized model of the tables of one database.
 *
 * Both probes (PostgreSQL, SQLite) and the compiled definitions produce a
 * struct catalog; compare.c only ever looks at catalogs. Every expression is
 * kept twice: as the database spelled it (for humans: "expected"/"actual" in a
 * difference) and in the canonical form of normalize.c (for comparing).
 * A catalog holds any number of tables, each with any number of columns,
 * constraints and indexes; which tables are read is the caller's choice (the
 * tables a definition names). */
#ifndef SW_CATALOG_H
#define SW_CATALOG_H

#include <stdbool.h>

#include "dialect.h"

/* ON DELETE / ON UPDATE actions, spelled as SQL says them. */
enum cat_fk_action {
	FK_NO_ACTION,
	FK_RESTRICT,
	FK_CASCADE,
	FK_SET_NULL,
	FK_SET_DEFAULT,
};

/* MATCH SIMPLE (the default) / FULL / PARTIAL. */
enum cat_fk_match {
	FK_MATCH_SIMPLE,
	FK_MATCH_FULL,
	FK_MATCH_PARTIAL,
};

/* SQLite's ON CONFLICT clause of a PRIMARY KEY, UNIQUE or NOT NULL
 * constraint (https://sqlite.org/lang_conflict.html): what a violating
 * INSERT or UPDATE does. ABORT is what SQLite does when none is written, so
 * it is the zero value: an explicit ON CONFLICT ABORT and none are one thing.
 * PostgreSQL has no such clause (always ABORT). */
enum cat_conflict {
	CONFLICT_ABORT,
	CONFLICT_ROLLBACK,
	CONFLICT_FAIL,
	CONFLICT_IGNORE,
	CONFLICT_REPLACE,
};

/* A list of (normalized) names or index keys. */
struct cat_strv {
	char	**v;
	int	  n;
};

struct cat_column {
	char	*name;
	char	*type_raw;	/* as reported: "timestamp with time zone", "TEXT" */
	char	*type;		/* normalize.c canonical spelling in its dialect */
	bool	 notnull;
	char	*dflt_raw;	/* as reported, NULL when none */
	char	*dflt;		/* canonical, NULL when none */
	char	*collation;	/* only when not the type's default; NULL otherwise */
	char	*identity;	/* "ALWAYS", "BY DEFAULT" or NULL */
	char	*gen_raw;	/* GENERATED ALWAYS AS (expr): as reported, or NULL */
	char	*gen;		/* canonical */
	bool	 gen_stored;	/* STORED (PostgreSQL: always); false: VIRTUAL */
	enum cat_conflict notnull_conflict;	/* NOT NULL ON CONFLICT (SQLite) */
};

/* A PRIMARY KEY or UNIQUE constraint. */
struct cat_key {
	char		*name;	/* NULL when the dialect does not report it */
	struct cat_strv	 cols;
	bool		 nulls_not_distinct;	/* UNIQUE NULLS NOT DISTINCT */
	/* UNIQUE ... DEFERRABLE [INITIALLY DEFERRED] (PostgreSQL; not read for
	 * a PRIMARY KEY). */
	bool		 deferrable;
	bool		 deferred;
	enum cat_conflict conflict;	/* ON CONFLICT (SQLite) */
};

struct cat_fk {
	char			*name;		/* NULL when not reported */
	struct cat_strv		 cols;
	char			*ref_table;
	struct cat_strv		 ref_cols;
	enum cat_fk_action	 on_delete;
	/* ON DELETE SET NULL / SET DEFAULT (cols), PostgreSQL 15: the columns
	 * the action sets, as reported; empty: every column of the key. */
	struct cat_strv		 on_delete_cols;
	enum cat_fk_action	 on_update;
	enum cat_fk_match	 match;
	bool			 deferrable;
	bool			 deferred;	/* INITIALLY DEFERRED */
	bool			 not_valid;	/* NOT VALID: existing rows unchecked */
};

struct cat_check {
	char	*name;		/* NULL when not reported */
	char	*expr_raw;
	char	*expr;		/* canonical */
	bool	 not_valid;	/* NOT VALID (PostgreSQL): existing rows unchecked */
	bool	 no_inherit;	/* NO INHERIT (PostgreSQL): not on child tables */
};

/* An index that is not the implementation of a PRIMARY KEY / UNIQUE constraint. */
struct cat_index {
	char		*name;
	bool		 unique;
	char		*method;	/* "btree", ...; SQLite: always "btree" */
	/* Canonical keys, in SQL's order of decorations:
	 * "expr [COLLATE c] [opclass] [DESC] [NULLS FIRST|LAST]" — the column
	 * or normalized expression; collation and operator class only when not
	 * the default; NULLS only when not the default for the direction. */
	struct cat_strv	 keys;
	struct cat_strv	 include;	/* INCLUDE columns */
	char		*pred_raw;	/* partial index predicate, NULL when none */
	char		*pred;		/* canonical */
	bool		 nulls_not_distinct;
	/* Storage parameters (PostgreSQL's WITH (fillfactor = 50)), "key=value"
	 * as pg_class.reloptions has them, sorted (cat_strv_sort): the order
	 * they were written in means nothing. */
	struct cat_strv	 storage;
};

/* A property of an object, or an option of a table: the text the engine
 * reported (raw, shown) and what is compared (canon; NULL: raw itself).
 * How a property is canonicalized is decided by catobj.c's rule table from
 * the object's kind and the property's key, never by a probe. */
struct cat_prop {
	char	*key;
	char	*raw;
	char	*canon;
};

/* Properties kept sorted by key, each key once. */
struct cat_props {
	struct cat_prop	*v;
	int		 n;
};

/* Any schema object the model has no struct of its own for: views,
 * sequences, types, functions, triggers, policies, extensions, comments,
 * EXCLUDE constraints... (the kinds are catobj.c's table). Compared as a set
 * of properties: two objects of one kind and name are the same when every
 * property compares equal. An object that belongs to a table (a trigger,
 * a policy, an EXCLUDE constraint) names it in `table` and is reported as
 * "table.name", like the table's other members. */
struct cat_object {
	char		*kind;		/* "view", "function", ... */
	char		*name;		/* "v", "f(integer, text)", "orders.trg" */
	char		*table;		/* owning table, NULL for a schema-level object */
	struct cat_props props;
};

struct cat_table {
	char			*name;
	/* Table options (UNLOGGED, partitioning, row security, WITHOUT ROWID,
	 * STRICT...): each key is also the name of the difference its change is
	 * reported as (compare.h). */
	struct cat_props	 opts;
	struct cat_column	*cols;
	int			 ncols;
	struct cat_key		*pk;		/* NULL when there is none */
	struct cat_key		*uniques;
	int			 nuniques;
	struct cat_fk		*fks;
	int			 nfks;
	struct cat_check	*checks;
	int			 nchecks;
	struct cat_index	*indexes;
	int			 nindexes;
};

struct catalog {
	enum cat_dialect	 dialect;
	/* True when the dialect reports constraint names (PostgreSQL). */
	bool			 constraint_names;
	struct cat_table	*tables;	/* the tables read that exist */
	int			 ntables;
	struct cat_object	*objects;	/* in (kind, name) order: cat_sort_objects() */
	int			 nobjects;
};

/* What a probe reads of a database (pgcat.h, sqlcat.h). */
struct cat_want {
	const struct cat_strv	*tables;	/* the tables (those that exist) */
	const struct cat_strv	*objects;	/* schema-level objects (views, types,
						 * functions...) by name; NULL: none */
	bool			 all;		/* every table and object of the schema
						 * (scope: schema); the lists are unused */
	/* With all: a table left out, with its members (triggers, comments...):
	 * the definition's version table, data the applier writes, not schema.
	 * Named as the engine names tables: PostgreSQL exactly, SQLite without
	 * case (as SQLite itself). NULL: none. Left out by the reader's own
	 * query, so that no caller has to remember to remove it afterwards. */
	const char		*except_table;
};

/* What the version table records, read with a catalog (not part of it: data,
 * not schema). */
struct cat_version {
	bool	 read;		/* asked for and read */
	bool	 table;		/* the version table exists */
	char	*row;		/* NULL: no table or no row; several rows joined by ',' */
};
void		 cat_version_free(struct cat_version *);

const char	*cat_dialect_name(enum cat_dialect);
const char	*cat_fk_action_sql(enum cat_fk_action);
/* Parse "CASCADE", "SET NULL", "NO ACTION" ... (case-insensitive), or PostgreSQL's
 * pg_constraint letter codes a/r/c/n/d. Returns -1 when unknown. */
int		 cat_fk_action_parse(const char *);
const char	*cat_fk_match_sql(enum cat_fk_match);
/* "SIMPLE"/"FULL"/"PARTIAL" (any case) or pg_constraint.confmatchtype s/f/p;
 * -1 when unknown. */
int		 cat_fk_match_parse(const char *);
/* "ABORT", "REPLACE", ...; parsing ignores case, -1 when unknown. */
const char	*cat_conflict_sql(enum cat_conflict);
int		 cat_conflict_parse(const char *);

struct catalog	*cat_new(enum cat_dialect);
void		 cat_free(struct catalog *);
/* A deep copy (NULL for NULL). */
struct catalog	*cat_dup(const struct catalog *);
/* Tables are kept in the order they are added (adding one twice returns the
 * first); cat_sort_tables() puts them in dependency order. */
struct cat_table *cat_add_table(struct catalog *, const char *name);
struct cat_table *cat_find_table(const struct catalog *, const char *name);
/* Remove (and free) a table; no-op when absent. */
void		 cat_remove_table(struct catalog *, const char *name);
/* Dependency order: a table after every table its foreign keys reference
 * (self references and cycles aside), ties by name. Deterministic whatever
 * order the engine listed the tables in, and parents-first is the order in
 * which an operator reads a schema. */
void		 cat_sort_tables(struct catalog *);

/* Builders. Strings are copied; NULL is allowed where the field allows it.
 * Raw texts are normalized here (normalize.c) so that probes never forget it. */
struct cat_column *cat_add_column(struct cat_table *, enum cat_dialect, const char *name,
		    const char *type_raw, bool notnull, const char *dflt_raw);
struct cat_key	*cat_set_pk(struct cat_table *, const char *name);
struct cat_key	*cat_add_unique(struct cat_table *, const char *name);
struct cat_fk	*cat_add_fk(struct cat_table *, const char *name, const char *ref_table);
struct cat_check *cat_add_check(struct cat_table *, enum cat_dialect, const char *name,
		    const char *expr_raw);
struct cat_index *cat_add_index(struct cat_table *, enum cat_dialect, const char *name,
		    bool unique, const char *method, const char *pred_raw);
/* GENERATED ALWAYS AS (expr) [STORED]: the expression is normalized. */
void		 cat_set_generated(struct cat_column *, enum cat_dialect, const char *expr_raw,
		    bool stored);

void		 cat_strv_add(struct cat_strv *, const char *);
void		 cat_strv_free(struct cat_strv *);
bool		 cat_strv_eq(const struct cat_strv *, const struct cat_strv *);
/* Sort in strcmp order (a set whose order means nothing). */
void		 cat_strv_sort(struct cat_strv *);
/* "a, b, c" — caller frees. */
char		*cat_strv_join(const struct cat_strv *);

/* Fold every identifier (columns, keys, index and constraint names, referenced
 * tables) to lower case. SQLite compares identifiers case-insensitively, so
 * "ID" and id are one column there; PostgreSQL names are exact and never folded. */
void		 cat_fold_identifiers(struct catalog *);

/* ---- other objects (catobj.c) ---- */

/* Add an object (strings copied; table may be NULL). Adding the kind and
 * name of the last object added returns that one; any other repeat becomes
 * one object in cat_sort_objects() (properties the first lacks added). */
struct cat_object *cat_add_object(struct catalog *, const char *kind, const char *name,
		    const char *table);
struct cat_object *cat_find_object(const struct catalog *, const char *kind,
		    const char *name);
/* Remove (and free) every object of a table (or, table NULL, none). */
void		 cat_remove_objects_of(struct catalog *, const char *table);
/* Objects in report order of their kinds (cat_object_kinds[]; unknown kinds
 * last, by name), then by name: the order every reader leaves a catalog's
 * objects in (pgcat.c, sqlcat.c, catjson.c), which compare_obj.c walks. */
void		 cat_sort_objects(struct catalog *);
/* That order: <0, 0 (same kind and name) or >0. */
int		 cat_object_order(const struct cat_object *, const struct cat_object *);
/* Set a property (replacing one with the same key); canon is computed from
 * raw by the rule for (kind, key) in the dialect: an expression is
 * normalized (normalize.c), a body of code squeezed (comments and
 * insignificant white space removed), anything else compared as reported.
 * kind "table" is the rule set of table options. raw NULL removes the key. */
void		 cat_prop_set(struct cat_props *, enum cat_dialect, const char *kind,
		    const char *key, const char *raw);
const struct cat_prop *cat_prop_get(const struct cat_props *, const char *key);
/* The text a property is compared by. */
const char	*cat_prop_text(const struct cat_prop *);
void		 cat_props_free(struct cat_props *);
void		 cat_props_dup(struct cat_props *to, const struct cat_props *from);
/* Properties that are reported but never a difference by themselves
 * (an extension's version): catobj.c's rule table says which. */
bool		 cat_prop_informational(const char *kind, const char *key);
/* SQL text with comments removed and every run of white space outside
 * quotes (strings, quoted identifiers, dollar quotes) made one space, none
 * at the ends or next to punctuation: a function body or a view query
 * compared without what does not change its meaning. Caller frees. */
char		*cat_sql_squeeze(const char *sql);
/* A query as the server deparses it (a view's), squeezed, with every
 * parenthesized AND (OR) chain that is an operand of an AND (OR) chain
 * written without its parentheses: "a AND (b AND c)" reads "a AND b AND c".
 * Caller frees. */
char		*cat_query_canon(const char *sql);
/* Whether a kind of object exists in this model (catobj.c's table). */
bool		 cat_object_kind_known(const char *kind);
/* The object kinds, NULL-terminated, in report order. */
extern const char *const cat_object_kinds[];

/* A readable one-line rendering of an object, used as expected/actual text. */
char		*cat_fk_describe(const struct cat_fk *);
/* The ON DELETE action as compared: "SET NULL (b)" with the columns in the
 * key's order, plain "SET NULL" when the list names every column of the
 * key (what SET NULL without a list does). Caller frees. */
char		*cat_fk_on_delete_sql(const struct cat_fk *);
char		*cat_index_describe(const struct cat_index *);

#endif
