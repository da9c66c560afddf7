/* pgobj_code.c — fragments of the catalog query (pgobj.h) for code and
 * what hangs on it: functions, procedures, triggers, policies, extensions,
 * comments. */
#include "config.h"

#include <stddef.h>

#include "pgobj.h"

const char *const pgobj_code_fragments[] = {
	NULL,
};
