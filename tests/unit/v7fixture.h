/* v7fixture.h — Prompter's V7 as catalogs, for unit tests that need a
 * realistic schema to mutate: read from the shipped definition's compiled
 * files ($SW_SRCDIR/sql/prompter/compiled/), which the daemon itself uses
 * (the daemon holds no schema in C). Exits the test on failure. */
#ifndef SW_V7FIXTURE_H
#define SW_V7FIXTURE_H

#include "catalog.h"

/* A new catalog of V7 as `dialect` spells it; caller frees with cat_free. */
struct catalog	*canonical_v7(enum cat_dialect);

#endif
