/* pgnotice.c — libpq notices into the log (see pgnotice.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
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

PGconn *
pgnotice_connectdb(const char *const *keys, const char *const *vals, const char *target,
    int64_t timeout_ms, bool *timed_out)
{
	PGconn *conn = PQconnectStartParams(keys, vals, 0);
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0, left;
	struct pollfd pfd;
	int rc;

	*timed_out = false;
	if (conn == NULL || PQstatus(conn) == CONNECTION_BAD)
		return conn;
	pgnotice_install(conn, target);
	/* libpq's protocol: wait as PQconnectPoll says, writable first. */
	while (st == PGRES_POLLING_READING || st == PGRES_POLLING_WRITING) {
		pfd.fd = PQsocket(conn);
		pfd.events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT;
		left = deadline > 0 ? deadline - now_ms() : -1;
		if (deadline > 0 && left <= 0)
			rc = 0;
		else
			rc = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			PQfinish(conn);
			*timed_out = rc == 0;
			return NULL;
		}
		st = PQconnectPoll(conn);
	}
	return conn;
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
