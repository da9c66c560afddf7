/* defset.h — the definitions a configuration uses, loaded as one.
 *
 * A configuration names a definition at the top level (default: the shipped
 * one) and may override it per target, with the revision each target must
 * be at (`expect:`, default the last of the chain). defset_load() reads every
 * distinct definition with its compiled catalogs and resolves each target's
 * expected revision, or refuses the whole configuration with the first
 * error: the service keeps its running set when a reload brings a bad one.
 *
 * A set is shared by reference: a check that started before a reload holds
 * the set it started with until its verdict is made. All on the loop
 * thread, so the count is a plain int. */
#ifndef SW_DEFSET_H
#define SW_DEFSET_H

#include "cfg.h"
#include "definition.h"

/* Used when the configuration sets no `definition:`. */
#define DEFSET_ENV	"SCHEMAWATCHD_DEFINITION"

struct defset;

/* Load what cfg needs. NULL and *err ("FILE:LINE:COLUMN: message") on error. */
struct defset		*defset_load(const struct config *, char **err);
struct defset		*defset_ref(struct defset *);
void			 defset_unref(struct defset *);

/* The directory used when `definition:` is not set: $SCHEMAWATCHD_DEFINITION
 * when set (the test suite points it at the source tree), else the shipped
 * one. */
const char		*defset_default_dir(void);
/* The directory of a target's definition: its own `definition:`, else the
 * top-level one, else the default. */
const char		*defset_dir_of(const struct config *, const struct cfg_target *);

/* A target's definition and expected revision (index into its chain), by
 * target name; NULL when the set has no such target. */
const struct definition	*defset_find(const struct defset *, const char *target,
			    int *expected);

#endif
