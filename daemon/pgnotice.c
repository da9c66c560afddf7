/* pgnotice.c — libpq notices into the log (see pgnotice.h). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pgnotice.h"
#include "util.h"

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

char *
pgnotice_login_hint(char *msg)
{
	char *with;

	if (msg == NULL || (strstr(msg, "password authentication failed") == NULL &&
	    strstr(msg, "no password supplied") == NULL))
		return msg;
	/* Passwords belong in a file libpq reads itself, never in the
	 * configuration: say which file. */
	with = xasprintf("%s (hint: put the password in ~/.pgpass of the user running "
	    "schemawatchd, or in the file named by PGPASSFILE or passfile=, mode 0600)", msg);
	free(msg);
	return with;
}
