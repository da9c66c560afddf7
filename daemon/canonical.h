/* canonical.h — the V7 definition (v7-schema.md) as a catalog.
 *
 * The one source of truth is the table in canonical.c, written with logical
 * types and logical defaults; each dialect's catalog is rendered from it.
 * tests/e2e/canonical_sql.sh proves that sql/ produces exactly this catalog on a
 * real PostgreSQL and on SQLite. */
#ifndef SW_CANONICAL_H
#define SW_CANONICAL_H

#include "catalog.h"

/* A new catalog of V7 as `dialect` spells it; caller frees with cat_free. */
struct catalog	*canonical_v7(enum cat_dialect);
/* The names of the V7 tables, parents first. */
const struct cat_strv *canonical_v7_tables(void);

#endif
