/* pgnotice.h — server NOTICEs and WARNINGs go to our log, never raw.
 *
 * libpq's default notice processor writes "NOTICE:  …" to stderr, where it
 * interleaves with (and looks like) our own output. Every PGconn the project
 * makes gets this processor: the message is logged at debug level with the
 * target's name ("target prod: server notice: table … does not exist,
 * skipping"). */
#ifndef SW_PGNOTICE_H
#define SW_PGNOTICE_H

#include <libpq-fe.h>

/* `target` must outlive the connection (it is not copied). */
void	pgnotice_install(PGconn *conn, const char *target);

/* A connection error (one line, already scrubbed of the password) with a
 * hint appended when it is a failed login ("password authentication
 * failed", "no password supplied"): where libpq looks for passwords.
 * Takes `msg` and returns it or its replacement; NULL stays NULL. */
char	*pgnotice_login_hint(char *msg);

#endif
