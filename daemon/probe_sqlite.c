/* probe_sqlite.c — being written. */
#include "config.h"
typedef int sw_placeholder_probe_sqlite;
