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

#endif
