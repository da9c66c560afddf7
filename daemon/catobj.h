/* catobj.h — what catalog.c needs of catobj.c to free, copy and fold a
 * catalog's objects (the object API itself is in catalog.h). */
#ifndef SW_CATOBJ_H
#define SW_CATOBJ_H

#include "catalog.h"

void	 catobj_free_all(struct catalog *);
/* to's objects are overwritten (to is a shallow copy of from). */
void	 catobj_dup_all(struct catalog *to, const struct catalog *from);
/* SQLite's names are case-insensitive: object and table names lower-cased. */
void	 catobj_fold_all(struct catalog *);

#endif
