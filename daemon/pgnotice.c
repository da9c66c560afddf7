/* pgnotice.c — libpq notices into the log (see pgnotice.h). */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "log.h"
#include "pgnotice.h"

/* libpq calls this on the thread that reads the connection (the loop or a
 * worker); log_msg is safe on any thread. */
static void
pgnotice_log(void *arg, const char *msg)
{
	const char *target = arg;
	size_t n = strlen(msg);

	while (n > 0 && isspace((unsigned char)msg[n - 1]))
		n--;
	log_msg(LOG_DEBUG, "target %s: server notice: %.*s", target != NULL ? target : "?",
	    (int)n, msg);
}

void
pgnotice_install(PGconn *conn, const char *target)
{
	if (conn != NULL)
		PQsetNoticeProcessor(conn, pgnotice_log, (void *)target);
}
