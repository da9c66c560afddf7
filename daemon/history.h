/* history.h — state changes and migration applies, persisted in SQLite.
 *
 * The daemon records every state change of a target or a group, and every
 * migration apply, in STATE_DIR/state.db. At start-up it reads the last
 * recorded state of each target and group (history_last_states) so that a
 * restart does not alert again for a state it already reported;
 * `schemawatchctl history [TARGET]` is served from history_list.
 *
 * Everything here runs on the event-loop thread, so nothing may wait:
 *  - the busy timeout is 0: when another process holds the write lock,
 *    history_record fails at once with "... database is locked" for the
 *    caller to log (and retry with the next change if it wants to), instead
 *    of sleeping inside the loop;
 *  - statements are prepared once in history_open and reused;
 *  - WAL mode with synchronous=NORMAL: a write is one INSERT appended to the
 *    WAL without an fsync (only checkpoints sync), and readers never wait for
 *    a writer.
 *
 * history_open does not create the directory (systemd's StateDirectory= or
 * the package does); it creates state.db (mode 0640 minus the umask) and its
 * schema. A missing directory, a corrupt or foreign file, a read-only file or
 * a schema from a newer daemon make history_open fail with a message naming
 * the file: the daemon logs it and keeps running without history (and then
 * may alert again after a restart).
 *
 * Errors: functions taking char **err set it to a malloc'd message on
 * failure (the caller frees it); messages never contain connection strings.
 */
#ifndef SW_HISTORY_H
#define SW_HISTORY_H

#include <stdint.h>

#define HISTORY_DB_NAME		"state.db"
#define HISTORY_LIST_DEFAULT	100	/* history_list with limit <= 0 */
#define HISTORY_LIST_MAX	10000	/* larger limits are clamped */
#define HISTORY_KEEP_DEFAULT	1000	/* a sensible history_prune argument */

enum hist_kind {
	HIST_TARGET,		/* stored as "target" */
	HIST_GROUP,		/* stored as "group" */
	HIST_APPLY		/* stored as "apply" */
};

struct hist_entry {
	int64_t		 id;		/* set by history_record; grows with every record */
	int64_t		 at_ms;		/* wall clock, ms since the epoch; 0 → now */
	enum hist_kind	 kind;
	char		*name;		/* target or group name */
	char		*state;		/* "ok", "drift", ...; for HIST_APPLY "upgrade-ok", "downgrade-failed", ... */
	char		*prev_state;	/* NULL for the first record of a name */
	int		 ndiffs;
	char		*detail;	/* JSON text (differences, error, apply outcome) or NULL */
};

/* An alert event not yet delivered to the hook (the outbox table). */
struct hist_outbox {
	int64_t		 id;		/* set by the database */
	int64_t		 at_ms;		/* 0 → now */
	char		*what;		/* names the event in log lines */
	char		*env;		/* "SCHEMAWATCH_X=value" lines, '\n'-separated */
	char		*json;		/* the hook's stdin */
};

struct history;

/* Open (creating if needed) STATE_DIR/state.db. NULL and *err on failure. */
struct history	*history_open(const char *state_dir, char **err);
void		 history_close(struct history *);
/* The full path of the database file, for log messages. */
const char	*history_path(const struct history *);

/* "target", "group", "apply". */
const char	*hist_kind_name(enum hist_kind);

/* Append one entry (e->id is ignored; at_ms == 0 means now). name and state
 * are required. 0 on success, -1 and *err on failure ("state.db at PATH:
 * database is locked" when another process holds the write lock). */
int		 history_record(struct history *, const struct hist_entry *, char **err);

/* The newest entry of every name of one kind, ordered by name. On success
 * returns a malloc'd array (never NULL, possibly with *n == 0) to free with
 * hist_entries_free; NULL and *err on failure. "Newest" is the order of
 * recording (id), not at_ms, so a wall-clock step does not reorder history. */
struct hist_entry *history_last_states(struct history *, enum hist_kind, int *n, char **err);

/* Entries newest first, of one name (all kinds: a target's state changes and
 * its applies) or of all names when name is NULL; at most limit entries
 * (HISTORY_LIST_DEFAULT when limit <= 0, clamped to HISTORY_LIST_MAX).
 * Same return convention as history_last_states. */
struct hist_entry *history_list(struct history *, const char *name, int limit, int *n, char **err);

void		 hist_entries_free(struct hist_entry *, int n);

/* The alert outbox. history_record_event stores a history entry (e, may be
 * NULL) and an undelivered alert (o, may be NULL) in one transaction, so an
 * event is in both or in neither; *outbox_id gets the alert's id. Once the
 * hook has taken the alert, history_outbox_done deletes it; what is left
 * at start-up (history_outbox_list, oldest first; never NULL on success,
 * free with hist_outbox_free) was never delivered. */
int		 history_record_event(struct history *, const struct hist_entry *e,
		    const struct hist_outbox *o, int64_t *outbox_id, char **err);
struct hist_outbox *history_outbox_list(struct history *, int *n, char **err);
int		 history_outbox_done(struct history *, int64_t id, char **err);
void		 hist_outbox_free(struct hist_outbox *, int n);

/* Delete all but the newest keep_per_name entries of every (kind, name), so
 * the file cannot grow forever; call it now and then after history_record
 * (e.g. every few hundred records) rather than after each one. Returns the
 * number of entries deleted, or -1 and *err. keep_per_name < 1 is taken as 1:
 * the last state of a name is never pruned. */
int		 history_prune(struct history *, int keep_per_name, char **err);

#endif
