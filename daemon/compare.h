/* compare.h — catalog against catalog: an ordered list of differences.
 *
 * Same-dialect comparisons compare canonical texts, names included where both
 * sides report them. Cross-dialect comparisons (a SQLite dev database against
 * a PostgreSQL prod one) go through the logical types of v7-schema.md and
 * ignore what one side cannot report (constraint names, identity, collations,
 * MATCH, NULLS NOT DISTINCT, STORED). */
#ifndef SW_COMPARE_H
#define SW_COMPARE_H

#include "catalog.h"
#include "catobj_kinds.h"

/* Every kind a difference can have; names are stable (JSON, man page), and
 * each is listed with its meaning in schemawatchd(8) and the README
 * (tests/e2e/diff_kinds.sh fails when they disagree). A rename (column_renamed,
 * index_renamed, constraint_renamed) has the old name as expected and the
 * new one as actual. A table option's difference is named as its key
 * (catalog.h's cat_table.opts); an object kind K has missing_K, extra_K and
 * K_changed (one per differing property, expected and actual "property:
 * value"), made here from catobj_kinds.h's list: DIFF_OBJECT_KIND. */
#define DIFF_OBJECT_KIND(X, K, name)					\
	X(MISSING_##K,		"missing_" name)			\
	X(EXTRA_##K,		"extra_" name)				\
	X(K##_CHANGED,		name "_changed")
#define DIFF_KINDS(X)						\
	X(MISSING_TABLE,	"missing_table")			\
	X(EXTRA_TABLE,		"extra_table")				\
	X(MISSING_COLUMN,	"missing_column")			\
	X(EXTRA_COLUMN,		"extra_column")				\
	X(COLUMN_RENAMED,	"column_renamed")			\
	X(COLUMN_TYPE,		"column_type")				\
	X(COLUMN_NULLABILITY,	"column_nullability")			\
	X(COLUMN_DEFAULT,	"column_default")			\
	X(COLUMN_ORDER,		"column_order")				\
	X(MISSING_PRIMARY_KEY,	"missing_primary_key")			\
	X(EXTRA_PRIMARY_KEY,	"extra_primary_key")			\
	X(PRIMARY_KEY_COLUMNS,	"primary_key_columns")			\
	X(MISSING_UNIQUE,	"missing_unique")			\
	X(EXTRA_UNIQUE,		"extra_unique")				\
	X(UNIQUE_COLUMNS,	"unique_columns")			\
	X(MISSING_FOREIGN_KEY,	"missing_foreign_key")			\
	X(EXTRA_FOREIGN_KEY,	"extra_foreign_key")			\
	X(FOREIGN_KEY_TARGET,	"foreign_key_target")			\
	X(FOREIGN_KEY_ACTION,	"foreign_key_action")			\
	X(FOREIGN_KEY_DEFERRABLE, "foreign_key_deferrable")		\
	X(MISSING_CHECK,	"missing_check")			\
	X(EXTRA_CHECK,		"extra_check")				\
	X(CHECK_EXPRESSION,	"check_expression")			\
	X(CHECK_INHERIT,	"check_inherit")			\
	X(CONSTRAINT_RENAMED,	"constraint_renamed")			\
	X(MISSING_INDEX,	"missing_index")			\
	X(EXTRA_INDEX,		"extra_index")				\
	X(INDEX_RENAMED,	"index_renamed")			\
	X(INDEX_COLUMNS,	"index_columns")			\
	X(INDEX_UNIQUENESS,	"index_uniqueness")			\
	X(INDEX_PREDICATE,	"index_predicate")			\
	X(INDEX_METHOD,		"index_method")				\
	X(INDEX_INCLUDE,	"index_include")				\
	X(INDEX_STORAGE,	"index_storage")			\
	X(COLUMN_COLLATION,	"column_collation")			\
	X(COLUMN_IDENTITY,	"column_identity")			\
	X(COLUMN_GENERATED,	"column_generated")			\
	X(UNIQUE_NULLS,		"unique_nulls")				\
	X(FOREIGN_KEY_MATCH,	"foreign_key_match")			\
	X(INDEX_NULLS,		"index_nulls")				\
	X(CONSTRAINT_NOT_VALID,	"constraint_not_valid")			\
	X(UNIQUE_DEFERRABLE,	"unique_deferrable")			\
	X(TABLE_PERSISTENCE,	"table_persistence")	\
	X(TABLE_ROW_SECURITY,	"table_row_security")	\
	X(PARTITION_KEY,		"partition_key")	\
	X(PARTITION_BOUND,	"partition_bound")	\
	X(TABLE_WITHOUT_ROWID,	"table_without_rowid")	\
	X(TABLE_STRICT,		"table_strict")	\
	X(TABLE_AUTOINCREMENT,	"table_autoincrement")	\
	X(PRIMARY_KEY_CONFLICT,	"primary_key_conflict")	\
	X(UNIQUE_CONFLICT,	"unique_conflict")	\
	X(NOT_NULL_CONFLICT,	"not_null_conflict")	\
	CAT_OBJECT_KINDS(DIFF_OBJECT_KIND, X)				\
	X(VERSION_ROW,		"version_row")

#define DIFF_ENUM(e, s) DIFF_##e,
enum diff_kind {
	DIFF_KINDS(DIFF_ENUM)
	DIFF__COUNT
};
#undef DIFF_ENUM

struct diff {
	char		*object;	/* "table" or "table.member" (expected name) */
	enum diff_kind	 kind;
	char		*expected;	/* NULL when the object is extra */
	char		*actual;	/* NULL when the object is missing */
	/* Ordering keys (not shown): table rank, member category, position. */
	int		 table_rank;
	int		 category;
	int		 position;
};

struct diff_list {
	struct diff	*v;
	int		 n;
};

const char	*diff_kind_name(enum diff_kind);
/* column_renamed, index_renamed, constraint_renamed: expected is the old
 * name, actual the new one. */
bool		 diff_kind_is_rename(enum diff_kind);
/* -1 when unknown. "constraint_name", the name before constraint_renamed,
 * still parses (to constraint_renamed): a daemon of the previous release may
 * answer a newer schemawatchctl. */
int		 diff_kind_parse(const char *);

/* Append the differences between `expected` and `actual` to out, in a stable
 * order: the expected catalog's table order, a table only `actual` has right
 * after the table it follows there; inside a table columns, keys, foreign
 * keys, checks, indexes. Any tables, any number of members. */
void		 compare_catalogs(const struct catalog *expected,
		    const struct catalog *actual, struct diff_list *out);
void		 diff_list_free(struct diff_list *);
/* The difference reported for a table option key, -1 when none is. */
int		 compare_option_kind(const char *key);
/* The difference for an object kind (catobj.c) that is missing (which 0),
 * extra (1) or changed (2); -1 for an unknown kind. */
int		 compare_object_kind(const char *kind, int which);
/* Append one difference that is not about a catalog object (the version
 * row); it is ordered after every table. */
void		 diff_list_add(struct diff_list *, enum diff_kind, const char *object,
		    const char *expected, const char *actual);

#endif
