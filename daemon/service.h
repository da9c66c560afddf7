/* service.h — the long-running service: the composition root.
 *
 * The only module that knows every other one: it creates them in dependency
 * order (state.db, hooks, reporter, targets, scheduler, groups, applies,
 * commands, control socket, metrics), wires them (the scheduler gets
 * libevent timers and check.c as its check starter; the reporter and groups
 * subscribe to "target changed"), reloads (parse -> check -> swap) and
 * tears them down in reverse. Signals arrive through libevent. */
#ifndef SW_SERVICE_H
#define SW_SERVICE_H

#include "cfg.h"

struct svc;

/* Start the service with a loaded configuration (takes ownership of cfg):
 * signals, state.db, the control socket, the schedules; READY=1. Returns the
 * service, or NULL after logging why (a start-up failure is fatal). */
struct svc	*svc_init(const char *config_path, struct config *cfg);
/* Run the loop until SIGTERM / SIGINT. 0, or -1 when the loop failed. */
int		 svc_run(struct svc *);
void		 svc_fini(struct svc *);

/* Parse, validate, swap. On failure the running configuration stays and
 * *err says why (caller frees). RELOADING=1 … READY=1 around it. */
int		 svc_reload(struct svc *, char **err);

/* The one-line summary used for STATUS= and `schemawatchctl status` (caller
 * frees). */
char		*svc_status_line(struct svc *);

#endif
