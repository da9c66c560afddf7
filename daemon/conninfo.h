/* conninfo.h — libpq connection strings: validate and redact, nothing else.
 *
 * A connection string may hold a password, so it is never shown as written:
 * everything people see (logs, errors, status, metrics) goes through
 * conninfo_redact(). Both functions use libpq's own parser
 * (PQconninfoParse), so "valid" and "what is shown" mean what libpq means;
 * neither opens a connection. Infrastructure: used by the configuration and
 * anything that shows a target, using nothing but util. */
#ifndef SW_CONNINFO_H
#define SW_CONNINFO_H

#include <stdbool.h>

/* Whether libpq accepts the string or URI. libpq's own complaint is not
 * passed on: it quotes pieces of the string, which may be a password. */
bool	 conninfo_valid(const char *conninfo);

/* The string as keyword=value pairs with every secret replaced by
 * "********" (also inside a dbname that is itself a connection string).
 * "<unparseable connection string>" when libpq rejects it. Caller frees. */
char	*conninfo_redact(const char *conninfo);

#endif
