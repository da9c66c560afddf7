/* normalize.h — dialect text to canonical form, so that spelling never counts.
 *
 * Pure functions, no I/O (but norm_note_unparsable, which logs). Each returns a newly allocated string (never NULL
 * for non-NULL input). An expression or default that cannot be parsed (an
 * unknown syntax, an unterminated string, nesting deeper than the limits of
 * norm_int.h) becomes "unparsable (WHY): TEXT", TEXT whitespace-collapsed and
 * case-folded: it is not silently compared as if it had been understood
 * (norm_is_unparsable tells it apart, and it never equals a parsed form),
 * yet the same odd text on both sides is still the same.
 *
 * Two spellings get the same canonical form when they mean the same thing:
 *   - whitespace, keyword/identifier case, quoting of plain identifiers,
 *     redundant parentheses;
 *   - PostgreSQL's deparsing: "(deleted_at IS NULL)", "'x'::text",
 *     "status = ANY (ARRAY['a'::text, 'b'::text])" == "status IN ('a', 'b')";
 *   - IN lists in any order; "!=" and "<>";
 *   - AND and OR operands in any order and nesting of the same operator
 *     ("b AND (c AND a)" == "a AND b AND c"); "x = 'a' OR x = 'b'" ==
 *     "x IN ('a', 'b')", "x <> 1 AND x <> 2" == "x NOT IN (1, 2)";
 *   - type aliases: int4/int/integer, timestamptz/timestamp with time zone, ...
 *   - PostgreSQL's grammar's own rewrites: "x AT TIME ZONE z" ==
 *     "timezone(z, x)", EXTRACT, POSITION, TRIM, SIMILAR TO, BETWEEN
 *     [SYMMETRIC]; "10 < a" == "a > 10"; "flag = false" == "NOT flag";
 *     "date(ts)" == "ts::date"; "ARRAY[1, 2]" == "'{1,2}'::integer[]"
 *     (README.md, "Expression comparison", says why this parser and not
 *     libpg_query);
 * and a real change (another column, operator, constant, function) always
 * gives another canonical form. */
#ifndef SW_NORMALIZE_H
#define SW_NORMALIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "dialect.h"

/* A boolean/scalar expression: CHECK bodies, index predicates, index keys. */
char		*norm_expr(enum cat_dialect, const char *);
/* A column default: like norm_expr, and the "current time" family
 * (now(), CURRENT_TIMESTAMP, transaction_timestamp(), datetime('now'),
 * CURRENT_TIMESTAMP in SQLite) becomes "now()" so that dialects can be compared;
 * datetime('now', 'utc'), statement_timestamp() and clock_timestamp() are
 * other values and stay as they are. */
char		*norm_default(enum cat_dialect, const char *);
/* Is this canonical expression/default the "unparsable (WHY): ..." form? */
bool		 norm_is_unparsable(const char *canonical);
/* Says that the expression at `place` ("users.chk_age check", "users.email
 * default") could not be parsed, when `canonical` is the unparsable form:
 * a warning is logged the first time each (place, text) is seen in the life
 * of the process, and counted (norm_unparsable_total). Nothing for a parsed
 * form. Any thread. Catalogs call it for every expression they keep. */
void		 norm_note_unparsable(const char *place, const char *canonical);
/* Distinct (place, text) pairs noted so far: the metric
 * schemawatchd_unparsable_expressions_total. */
uint64_t	 norm_unparsable_total(void);
/* A column type in its dialect: PostgreSQL aliases folded to format_type()'s
 * spelling ("int4" -> "integer", "timestamptz" -> "timestamp with time zone",
 * "varchar(10)" -> "character varying(10)"); SQLite declared types upper-cased
 * with whitespace collapsed ("text" -> "TEXT"). */
char		*norm_type(enum cat_dialect, const char *);
/* The logical type of v7-schema.md for a canonical type (see norm_type):
 * "uuid", "text", "json", "integer", "timestamp", or NULL when the type has no
 * logical name. SQLite's "TEXT" maps to "text". */
const char	*norm_type_logical(enum cat_dialect, const char *canonical_type);
/* The SQLite declared type that a canonical PostgreSQL type is stored as under
 * V7's mapping (uuid/text/jsonb/timestamptz -> "TEXT", integer -> "INTEGER");
 * NULL for every other type (bigint, varchar, json ...), which then never
 * equals a SQLite type. Used for cross-dialect comparison. */
const char	*norm_type_pg_to_sqlite(const char *canonical_pg_type);
/* An identifier: unquoted folded to lower case, quotes dropped when the
 * quoted name is a plain lower-case identifier. */
char		*norm_ident(const char *);

#endif
