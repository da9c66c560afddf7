/* ddlwatch.h — check a target as soon as its database reports DDL.
 *
 * A PostgreSQL target with ddl_events: true LISTENs on PROBE_DDL_CHANNEL on
 * its kept connection (probe_pg.c); the event trigger of
 * sql/ddl-events.postgresql.sql notifies with the schema a DDL command
 * touched. pgkeep.c hands each notification here; this module finds the
 * targets it concerns (same connection string; that schema, or any when the
 * payload is empty) and, after a short debounce that folds the burst of one
 * migration into one check, asks the scheduler to check them now. Polling
 * at the interval goes on: a notification lost while disconnected costs at
 * most one interval, and the check that reconnects reads everything anyway. */
#ifndef SW_DDLWATCH_H
#define SW_DDLWATCH_H

#include <event2/event.h>

#include "scheduler.h"
#include "target.h"

/* Notifications within this long of the first are folded into one check. */
#define DDLW_DEBOUNCE_MS	20

struct ddlw;
struct ddlw	*ddlw_new(struct event_base *, struct sched *, struct tgt_reg *);
/* Before the targets change (reload): checks already asked for start now. */
void		 ddlw_flush(struct ddlw *);
/* Notifications heard so far (for tests and metrics). */
unsigned long	 ddlw_heard(const struct ddlw *);
void		 ddlw_free(struct ddlw *);

#endif
