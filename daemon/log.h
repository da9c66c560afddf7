/* log.h — logging tiers: the journal with structured fields, or stderr lines
 * with sd-daemon "<N>" priority prefixes.
 *
 * Priorities are syslog's (LOG_ERR … LOG_DEBUG). A message above the
 * configured max_priority is dropped before it is formatted.
 *
 * Sink selection (log_init):
 *   LOG_SINK_AUTO     the journal when built with libsystemd (HAVE_SYSTEMD) and
 *                     stderr is the journal's stream: $JOURNAL_STREAM ("dev:ino")
 *                     matches fstat(2) of fd 2, which is how systemd says so;
 *                     stderr otherwise.
 *   LOG_SINK_JOURNAL  sd_journal_sendv(); stderr when built without
 *                     libsystemd or when /run/systemd/journal/socket does
 *                     not exist (the journal library would drop the entries).
 *   LOG_SINK_STDERR   stderr.
 * The environment variable SCHEMAWATCHD_LOG=stderr|journal|auto overrides the
 * sink given to log_init (for tests and for operators who want one or the
 * other); any other value is ignored with a warning.
 *
 * Journal entries carry MESSAGE=, PRIORITY=, SYSLOG_IDENTIFIER= and, for
 * events, MESSAGE_ID=, SCHEMAWATCH_EVENT=, SCHEMAWATCH_TARGET=,
 * SCHEMAWATCH_GROUP=, SCHEMAWATCH_STATE= (the last three when given). If the
 * journal refuses an entry it is written to stderr instead.
 *
 * A stderr line is "<N>message\n", for events followed by the facts:
 *   <4>target prod: drift detected (2 differences) [event=drift-detected
 *   target=prod state=drift message_id=35a9…]
 * (one line). Values that contain spaces, quotes, '=' or ']' are written in
 * double quotes with '"' and '\' escaped; control characters (newlines) in the
 * message become spaces so one call is always one line. Every line is written
 * with a single write(2), at most LOG_LINE_MAX bytes (PIPE_BUF), so lines from
 * several threads never interleave; a longer message is cut at a UTF-8
 * character boundary and ends in "...", the facts are always kept.
 *
 * Thread safety: log_msg/log_event may be called from any thread once
 * log_init has returned; log_init/log_fini only from the main thread while no
 * other thread logs. Before log_init, messages go to stderr at LOG_INFO. */
#ifndef SW_LOG_H
#define SW_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* The kinds of events. Their MESSAGE_IDs and names are fixed forever (the
 * journal catalog, packaging/schemawatchd.catalog, and operators' journalctl
 * filters depend on them): append new kinds before LOGEV__COUNT, never
 * renumber or reuse an id. */
enum log_event {
	LOGEV_NONE,
	LOGEV_DRIFT_DETECTED,
	LOGEV_DRIFT_RESOLVED,
	LOGEV_GROUP_DIVERGED,
	LOGEV_GROUP_CONVERGED,
	LOGEV_TARGET_UNREACHABLE,
	LOGEV_TARGET_STATE,	/* any other target state change: pending, error,
				   back to ok from unreachable, ... */
	LOGEV_MIGRATION_APPLIED,
	LOGEV_MIGRATION_FAILED,
	LOGEV_DAEMON_STARTED,
	LOGEV_DAEMON_RELOADED,
	LOGEV_RELOAD_FAILED,
	LOGEV_HOOK_FAILED,
	LOGEV__COUNT
};

enum log_sink {
	LOG_SINK_AUTO,
	LOG_SINK_JOURNAL,
	LOG_SINK_STDERR
};

/* Longest stderr line, prefix and newline included. */
#define LOG_LINE_MAX	4096
/* Longest MESSAGE= sent to the journal. */
#define LOG_MSG_MAX	4096

/* ident: SYSLOG_IDENTIFIER= (copied; at most 63 bytes kept).
 * max_priority: LOG_INFO by default, LOG_DEBUG with -v. */
void	 log_init(const char *ident, enum log_sink sink, int max_priority);
void	 log_fini(void);

/* The sink in use after log_init (LOG_SINK_JOURNAL or LOG_SINK_STDERR). */
enum log_sink log_sink_active(void);

void	 log_msg(int priority, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* target, group, state: NULL when not relevant. */
void	 log_event(int priority, enum log_event ev, const char *target,
	    const char *group, const char *state, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
void	 log_vevent(int priority, enum log_event ev, const char *target,
	    const char *group, const char *state, const char *fmt, va_list ap)
	    __attribute__((format(printf, 6, 0)));

/* 32 lowercase hex characters; NULL for LOGEV_NONE and out-of-range values. */
const char *log_event_message_id(enum log_event);
/* "drift-detected", ...; "none" for LOGEV_NONE, NULL when out of range. */
const char *log_event_name(enum log_event);

#endif
