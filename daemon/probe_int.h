/* probe_int.h — private to the probe implementations (probe_pg.c,
 * probe_sqlite.c): the common header every probe struct starts with, so
 * probe_cancel() can dispatch without knowing the kind. */
#ifndef SW_PROBE_INT_H
#define SW_PROBE_INT_H

#include <stdbool.h>

#include "probe.h"

enum probe_kind {
	PROBE_KIND_PG,
	PROBE_KIND_SQLITE,
};

/* Embed as the FIRST member of each implementation's struct, so a
 * struct probe * can be cast back to it. cancel() stops the probe, makes
 * sure its callback never runs, and frees (or arranges to free) everything. */
struct probe {
	enum probe_kind	 kind;
	void		(*cancel)(struct probe *);
};

/* probe_pg.c's host-name lookup and off-loop connection start, exposed for
 * its unit tests. */
struct addrinfo;
/* True when a host= value (a comma-separated list) has an entry that is a
 * name to look up: not empty, not a socket path ('/' or '@'), not an IP literal. */
bool	 probe_pg_needs_resolution(const char *host);
/* The resolver the lookup worker calls; getaddrinfo unless a test swaps it
 * (before starting any probe). */
extern int (*probe_pg_getaddrinfo)(const char *, const char *,
	    const struct addrinfo *, struct addrinfo **);
/* What the worker calls instead of PQconnectStartParams (which it calls when a
 * connection service supplies the host); a test may swap it (before starting
 * any probe), e.g. for a slow start. */
struct pg_conn;
extern struct pg_conn *(*probe_pg_connect_start)(const char *const *keys,
	    const char *const *vals, int expand_dbname);
/* Worker jobs (lookups and connection starts) not freed yet: a cancelled one
 * lives until its worker returns. */
int	 probe_pg_lookups_live(void);

#endif
