/* daemon.h — the long-running service: targets, their schedules and states.
 *
 * One libevent loop owns everything here; nothing in this header may be used
 * from another thread. The control socket (control.c / commands.c) reads
 * targets directly and asks for work through the daemon_* functions. */
#ifndef SW_DAEMON_H
#define SW_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <event2/event.h>

#include "catalog.h"
#include "cfg.h"
#include "compare.h"
#include "history.h"
#include "state.h"

struct check;
struct grp;
struct metrics;
struct history;
struct hook_mgr;
struct ctl;
struct tgt_waiter;
struct wait_node;
struct apply_op;
struct migrate_result;

/* One target's live state. */
struct tgt {
	char			*name;
	const struct cfg_target	*cfg;		/* into daemon->cfg; replaced on reload */
	enum tgt_state		 state;		/* current */
	enum tgt_state		 reported;	/* last state logged / alerted / stored:
						 * from state.db at start, so a restart
						 * does not alert again */
	int64_t			 since_ms;	/* wall clock: when `state` began */
	int64_t			 last_check_ms;	/* wall clock of the last result, 0: never */
	int64_t			 last_duration_ms;
	char			*error;		/* unreachable / error reason */
	struct diff_list	 diffs;		/* against V7, when drift */
	struct catalog		*cat;		/* last catalog read, NULL if none */
	uint64_t		 nchecks;	/* results received */
	uint64_t		 nfailures;	/* of which unreachable / error */
	/* scheduling */
	struct check		*running;	/* in flight, or NULL */
	bool			 queued;	/* waiting for a free check slot */
	struct event		*timer;		/* next scheduled check */
	int			 backoff_step;	/* consecutive failures */
	struct wait_node	*waiters;	/* `check` requests waiting for a result */
	uint64_t		 check_seq;	/* checks started so far */
	bool			 recheck;	/* start another check when this one ends */
	int64_t			 reported_since; /* wall clock of the stored report */
	char			*reported_diffs; /* "object kind" lines last reported (drift);
						  * NULL: not known (restored without them) */
	struct daemon		*d;
	int64_t			 auto_apply_after; /* wall clock: no auto_apply before (set
						    * one interval after every apply) */
};

struct daemon {
	struct event_base	 *base;
	char			 *config_path;
	struct config		 *cfg;
	struct tgt		**targets;	/* in configuration order */
	int			  ntargets;
	struct tgt		**queue;	/* due, waiting for a slot (FIFO) */
	int			  nqueue;
	int			  nrunning;
	struct history		 *hist;		/* NULL when state.db cannot be used */
	int			  hist_records;	/* since the last prune */
	gid_t			  admin_gid;	/* cfg->admin_group, looked up at (re)load */
	bool			  admin_gid_ok;
	struct hook_mgr		 *hooks;
	struct ctl		 *ctl;
	struct apply_op		 *apply;	/* the one migration in flight, or NULL */
	struct event		 *sig_term, *sig_int, *sig_hup;
	bool			  stopping;
	int64_t			  started_ms;	/* wall clock */
	struct grp		**groups;	/* groups.c: configuration order */
	int			  ngroups;
	struct metrics		 *metrics;	/* metrics.c: NULL when off */
};

/* Start the service with a loaded configuration (takes ownership of cfg):
 * signals, state.db, the control socket, the schedules; READY=1. Returns 0,
 * or -1 after logging why (a start-up failure is fatal). */
int		 daemon_init(struct daemon *, const char *config_path, struct config *cfg);
/* Run the loop until SIGTERM / SIGINT. */
int		 daemon_run(struct daemon *);
void		 daemon_fini(struct daemon *);

struct tgt	*daemon_find_target(struct daemon *, const char *name);

/* Check a target now (or every target when t is NULL) and call cb once fresh
 * results are in: for a check started after this call, never an earlier one.
 * The returned handle is valid until cb runs; daemon_wait_cancel drops the
 * wait (a client that went away) without stopping the check. */
typedef void (*daemon_wait_cb)(struct daemon *, void *arg);
struct tgt_waiter *daemon_check_now(struct daemon *, struct tgt *, daemon_wait_cb, void *arg);
void		 daemon_wait_cancel(struct tgt_waiter *);

/* Parse, validate, swap. On failure the running configuration stays and
 * *err says why (caller frees). RELOADING=1 … READY=1 around it. On success
 * *restart is the restart-only keys it changed ("socket, metrics"), or NULL. */
int		 daemon_reload(struct daemon *, char **err, char **restart);

/* The one-line summary used for STATUS= and `schemawatchctl status`. */
char		*daemon_status_line(const struct daemon *);

/* Apply the V7 migration to a target (migrate.h) without blocking the loop.
 * One apply at a time per daemon: -1 and *err (caller frees) when one is in
 * flight. Unless it is a dry run, the target is `applying` at once (STATUS=
 * too), its running check is dropped and no check of it starts until the
 * apply ends; then the outcome is logged (migration-applied / -failed) and
 * stored (history kind "apply": "upgrade-ok", "downgrade-failed", ...), the
 * target is checked again, and only then done runs with the result (the
 * daemon frees it after the call; done may be NULL). done never runs from
 * inside daemon_apply. auto_apply uses the same path. */
typedef void (*daemon_apply_cb)(struct daemon *, struct migrate_result *, void *arg);
int		 daemon_apply(struct daemon *, struct tgt *, bool downgrade, bool dry_run,
		    daemon_apply_cb done, void *arg, char **err);
/* The client that asked went away: the apply goes on, done will not run. */
void		 daemon_apply_forget(struct daemon *, void *arg);
/* True while a (non dry-run) apply of this target runs. */
bool		 daemon_tgt_applying(const struct daemon *, const struct tgt *);

/* The reporting paths of a state change (state.db, the alert hook), shared
 * by targets and groups (groups.c). prev: NULL for the first record. */
void		 record_history(struct daemon *, enum hist_kind, const char *name,
		    const char *state, const char *prev, int ndiffs, const char *detail);
void		 run_alert_hook(struct daemon *, const char *event, const char *kind,
		    const char *name, const char *state, const char *prev, int ndiffs,
		    const char *json_text);

#endif
