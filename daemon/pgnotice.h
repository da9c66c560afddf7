/* pgnotice.h — server NOTICEs and WARNINGs go to our log, never raw.
 *
 * libpq's default notice processor writes "NOTICE:  …" to stderr, where it
 * interleaves with (and looks like) our own output. Every PGconn the project
 * makes gets this processor: the message is logged at debug level with the
 * target's name ("target prod: server notice: table … does not exist,
 * skipping"). */
#ifndef SW_PGNOTICE_H
#define SW_PGNOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

/* `target` must outlive the connection (it is not copied). */
void	pgnotice_install(PGconn *conn, const char *target);

/* PQconnectdbParams with the processor installed before the first message
 * (the server may send notices while connecting) and a deadline of
 * timeout_ms (0: none), which PQconnectPoll itself does not keep. Blocking:
 * for worker threads and the one-shot command only. NULL with *timed_out
 * past the deadline (or when out of memory, or poll fails); otherwise check
 * PQstatus(). */
PGconn	*pgnotice_connectdb(const char *const *keys, const char *const *vals,
	    const char *target, int64_t timeout_ms, bool *timed_out);

/* A connection error (one line, already scrubbed of the password) with a
 * hint appended when it is a failed login ("password authentication
 * failed", "no password supplied"): where libpq looks for passwords.
 * Takes `msg` and returns it or its replacement; NULL stays NULL. */
char	*pgnotice_login_hint(char *msg);

#endif
