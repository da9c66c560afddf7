/* once.h — `schemawatchd --once`: check every target one time and report. */
#ifndef SW_ONCE_H
#define SW_ONCE_H

#include <stdbool.h>

#include "cfg.h"

/* Exit status of --once (product.md). */
enum {
	ONCE_ALL_OK = 0,	/* every target ok */
	ONCE_NOT_OK = 1,	/* some drift / pending */
	ONCE_FAILED = 2,	/* some unreachable / error */
};

/* Check every target (at most max_concurrent_checks at a time), print the
 * report on stdout, and return the exit status. */
int	once_run(const struct config *, bool json);

#endif
