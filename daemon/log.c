/* log.c — journal or "<N>"-prefixed stderr lines, one write per line.
 *
 * Everything is formatted into stack buffers: no allocation, no lock, so any
 * thread may log and a line is never torn by another thread's line. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#ifdef HAVE_SYSTEMD
/* Without this, sd_journal_sendv() adds CODE_FILE=log.c to every entry,
 * which says nothing about where the event came from. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#endif

#include "log.h"

/* The MESSAGE_IDs were made once with `systemd-id128 new` and must never
 * change: journalctl MESSAGE_ID= filters and the catalog rely on them. */
static const struct {
	const char	*name;
	const char	*message_id;
} log_events[LOGEV__COUNT] = {
	[LOGEV_NONE]			= { "none", NULL },
	[LOGEV_DRIFT_DETECTED]		= { "drift-detected", "35a9e018af4c4fbe94c3b633128830a6" },
	[LOGEV_DRIFT_RESOLVED]		= { "drift-resolved", "0895b1ebd4ce47ae879a2b73b91d4d98" },
	[LOGEV_GROUP_DIVERGED]		= { "group-diverged", "fb84e6e192994cd58127dea5abd63b96" },
	[LOGEV_GROUP_CONVERGED]		= { "group-converged", "2bf610eafa654f97b81023feda4f0ede" },
	[LOGEV_TARGET_UNREACHABLE]	= { "target-unreachable", "7390871f2bd14657ad54a8ec0b6838e0" },
	[LOGEV_TARGET_STATE]		= { "target-state", "94e6eacb11c14c478de39a3cb6e97d16" },
	[LOGEV_MIGRATION_APPLIED]	= { "migration-applied", "b73202b9034f495fbb51ec9c743d043c" },
	[LOGEV_MIGRATION_FAILED]	= { "migration-failed", "57743b13e69240efb07757461fbf80b7" },
	[LOGEV_DAEMON_STARTED]		= { "daemon-started", "ee186089c5d5499b8e9c3019d7ac6bc7" },
	[LOGEV_DAEMON_RELOADED]		= { "daemon-reloaded", "c202ff6c92a84330beee40ed34ad6696" },
	[LOGEV_RELOAD_FAILED]		= { "reload-failed", "cccea813f70345d49fa5e7ab5fd4757e" },
	[LOGEV_HOOK_FAILED]		= { "hook-failed", "be028eec7320412b81aa177523abf962" },
};

static const struct {
	const char	*name;
	enum log_sink	 sink;
} log_sink_names[] = {
	{ "auto", LOG_SINK_AUTO },
	{ "journal", LOG_SINK_JOURNAL },
	{ "stderr", LOG_SINK_STDERR },
};

#define LOG_IDENT_MAX	64
/* Longest value of one structured fact (target, group, state) we keep. */
#define LOG_FACT_MAX	256
/* Room for " [event=... target=... group=... state=... message_id=...]":
 * four values of which every byte may need a '\', plus keys and the id. */
#define LOG_FACTS_MAX	(4 * (2 * LOG_FACT_MAX + 16) + 96)
#define LOG_ELLIPSIS	"..."

static char		log_ident[LOG_IDENT_MAX] = "schemawatchd";
static enum log_sink	log_sink_cur = LOG_SINK_STDERR;
static int		log_maxpri = LOG_INFO;

/* A fixed-size text buffer that silently stops growing when full. */
struct log_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;	/* usable bytes, the NUL not counted */
};

static void
lb_addn(struct log_buf *b, const char *s, size_t n)
{
	if (n > b->cap - b->len)
		n = b->cap - b->len;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
lb_add(struct log_buf *b, const char *s)
{
	lb_addn(b, s, strlen(s));
}

/* Length of the longest prefix of s[0..len) not longer than max that does
 * not end inside a UTF-8 sequence. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* Back off over continuation bytes (10xxxxxx) to a character start. */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Shorten s (length *len, NUL-terminated, buffer large enough) to at most max
 * bytes, ending in "..." when anything was cut. */
static void
trunc_marked(char *s, size_t *len, size_t max, bool already_cut)
{
	size_t keep;

	if (*len <= max && !already_cut)
		return;
	if (max < sizeof LOG_ELLIPSIS - 1) {
		*len = 0;
		s[0] = '\0';
		return;
	}
	keep = utf8_cut(s, *len, max - (sizeof LOG_ELLIPSIS - 1));
	memcpy(s + keep, LOG_ELLIPSIS, sizeof LOG_ELLIPSIS);
	*len = keep + sizeof LOG_ELLIPSIS - 1;
}

/* Control characters would split the line (journal streams and readers
 * split on '\n'); make them spaces. */
static void
flatten(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

static bool
fact_needs_quotes(const char *v)
{
	if (*v == '\0')
		return true;
	return strpbrk(v, " \"=]\\") != NULL;
}

/* Append " key=value" with value quoted when it would be ambiguous. */
static void
fact_add(struct log_buf *b, const char *key, const char *value)
{
	char v[LOG_FACT_MAX];
	size_t n = strlen(value);
	bool quote;
	const char *s;

	n = utf8_cut(value, n, sizeof v - 1);
	memcpy(v, value, n);
	v[n] = '\0';
	flatten(v);
	quote = fact_needs_quotes(v);

	if (b->len > 0)
		lb_add(b, " ");
	lb_add(b, key);
	lb_add(b, quote ? "=\"" : "=");
	for (s = v; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			lb_add(b, "\\");
		lb_addn(b, s, 1);
	}
	if (quote)
		lb_add(b, "\"");
}

/* " [event=... target=... group=... state=... message_id=...]" or "". */
static void
format_facts(struct log_buf *b, enum log_event ev, const char *target,
    const char *group, const char *state)
{
	char inner[LOG_FACTS_MAX];
	struct log_buf ib = { inner, 0, sizeof inner - 1 };

	inner[0] = '\0';
	if (ev > LOGEV_NONE && ev < LOGEV__COUNT)
		fact_add(&ib, "event", log_events[ev].name);
	if (target != NULL)
		fact_add(&ib, "target", target);
	if (group != NULL)
		fact_add(&ib, "group", group);
	if (state != NULL)
		fact_add(&ib, "state", state);
	if (ev > LOGEV_NONE && ev < LOGEV__COUNT)
		fact_add(&ib, "message_id", log_events[ev].message_id);
	if (ib.len == 0)
		return;
	lb_add(b, " [");
	lb_addn(b, inner, ib.len);
	lb_add(b, "]");
}

static void
write_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	/* One write(2) in all but the rarest case (a partial write to a full
	 * pipe), so concurrent lines do not interleave. */
	while (len > 0) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* nowhere left to complain */
		s += n;
		len -= (size_t)n;
	}
}

static void
emit_stderr(int pri, char *msg, size_t msglen, enum log_event ev,
    const char *target, const char *group, const char *state)
{
	char facts[LOG_FACTS_MAX + 8];
	struct log_buf fb = { facts, 0, sizeof facts - 1 };
	char line[LOG_LINE_MAX + 1];
	struct log_buf lb = { line, 0, LOG_LINE_MAX };
	char prefix[4] = { '<', (char)('0' + pri), '>', '\0' };
	size_t room;

	facts[0] = '\0';
	format_facts(&fb, ev, target, group, state);
	/* The facts are what tools grep for: cut the message, not them. */
	room = LOG_LINE_MAX - (sizeof prefix - 1) - fb.len - 1;
	trunc_marked(msg, &msglen, room, false);

	lb_add(&lb, prefix);
	lb_addn(&lb, msg, msglen);
	lb_addn(&lb, facts, fb.len);
	lb_add(&lb, "\n");
	write_all(STDERR_FILENO, line, lb.len);
}

#ifdef HAVE_SYSTEMD
static int
iov_field(struct iovec *iov, char *buf, size_t size, const char *key,
    const char *value)
{
	int n = snprintf(buf, size, "%s=%s", key, value);

	if (n < 0)
		return 0;
	if ((size_t)n >= size)
		n = (int)size - 1;
	iov->iov_base = buf;
	iov->iov_len = (size_t)n;
	return 1;
}

/* Returns 0 when the journal took the entry. */
static int
emit_journal(int pri, const char *msg, enum log_event ev, const char *target,
    const char *group, const char *state)
{
	char f_msg[LOG_MSG_MAX + 16], f_pri[16], f_ident[LOG_IDENT_MAX + 24];
	char f_id[64], f_ev[64];
	char f_target[LOG_FACT_MAX + 32], f_group[LOG_FACT_MAX + 32];
	char f_state[LOG_FACT_MAX + 32];
	struct iovec iov[8];
	int n = 0;

	n += iov_field(&iov[n], f_msg, sizeof f_msg, "MESSAGE", msg);
	snprintf(f_pri, sizeof f_pri, "PRIORITY=%d", pri);
	iov[n].iov_base = f_pri;
	iov[n++].iov_len = strlen(f_pri);
	n += iov_field(&iov[n], f_ident, sizeof f_ident, "SYSLOG_IDENTIFIER", log_ident);
	if (ev > LOGEV_NONE && ev < LOGEV__COUNT) {
		n += iov_field(&iov[n], f_id, sizeof f_id, "MESSAGE_ID",
		    log_events[ev].message_id);
		n += iov_field(&iov[n], f_ev, sizeof f_ev, "SCHEMAWATCH_EVENT",
		    log_events[ev].name);
	}
	if (target != NULL)
		n += iov_field(&iov[n], f_target, sizeof f_target, "SCHEMAWATCH_TARGET", target);
	if (group != NULL)
		n += iov_field(&iov[n], f_group, sizeof f_group, "SCHEMAWATCH_GROUP", group);
	if (state != NULL)
		n += iov_field(&iov[n], f_state, sizeof f_state, "SCHEMAWATCH_STATE", state);
	return sd_journal_sendv(iov, n) < 0 ? -1 : 0;
}
#endif

void
log_vevent(int priority, enum log_event ev, const char *target,
    const char *group, const char *state, const char *fmt, va_list ap)
{
	char msg[LOG_MSG_MAX];
	size_t len;
	bool cut;
	int n, saved_errno = errno;	/* callers may log, then look at errno */

	priority &= LOG_PRIMASK;
	if (priority > log_maxpri)
		return;
	if (ev < LOGEV_NONE || ev >= LOGEV__COUNT)
		ev = LOGEV_NONE;

	n = vsnprintf(msg, sizeof msg, fmt, ap);
	if (n < 0) {
		snprintf(msg, sizeof msg, "(unformattable message: %s)", fmt);
		n = 0;
	}
	len = strlen(msg);
	cut = (size_t)n >= sizeof msg;
	if (cut)
		trunc_marked(msg, &len, sizeof msg - 1, true);
	flatten(msg);

#ifdef HAVE_SYSTEMD
	if (log_sink_cur == LOG_SINK_JOURNAL &&
	    emit_journal(priority, msg, ev, target, group, state) == 0) {
		errno = saved_errno;
		return;
	}
#endif
	emit_stderr(priority, msg, len, ev, target, group, state);
	errno = saved_errno;
}

void
log_event(int priority, enum log_event ev, const char *target,
    const char *group, const char *state, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vevent(priority, ev, target, group, state, fmt, ap);
	va_end(ap);
}

void
log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vevent(priority, LOGEV_NONE, NULL, NULL, NULL, fmt, ap);
	va_end(ap);
}

#ifdef HAVE_SYSTEMD
/* systemd sets JOURNAL_STREAM="dev:ino" of the stream it connected to our
 * stdout/stderr; if fd 2 is still that file, the journal reads it. */
static bool
stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (e == NULL || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}
#endif

/* Returns -1 when SCHEMAWATCHD_LOG is set to something unknown. */
static int
sink_from_env(enum log_sink *sink)
{
	const char *e = getenv("SCHEMAWATCHD_LOG");
	size_t i;

	if (e == NULL || *e == '\0')
		return 0;
	for (i = 0; i < sizeof log_sink_names / sizeof log_sink_names[0]; i++) {
		if (strcmp(e, log_sink_names[i].name) == 0) {
			*sink = log_sink_names[i].sink;
			return 0;
		}
	}
	return -1;
}

/* Where journald listens; sd_journal_sendv() drops entries silently when
 * it is missing. */
#define LOG_JOURNAL_SOCKET	"/run/systemd/journal/socket"

static enum log_sink
sink_resolve(enum log_sink sink)
{
#ifdef HAVE_SYSTEMD
	if (sink == LOG_SINK_AUTO)
		return stderr_is_journal() ? LOG_SINK_JOURNAL : LOG_SINK_STDERR;
	/* A journal asked for where there is none (a container, a test):
	 * stderr rather than nothing. */
	if (sink == LOG_SINK_JOURNAL && access(LOG_JOURNAL_SOCKET, F_OK) < 0)
		return LOG_SINK_STDERR;
	return sink;
#else
	(void)sink;
	return LOG_SINK_STDERR;
#endif
}

void
log_init(const char *ident, enum log_sink sink, int max_priority)
{
	int bad_env;

	snprintf(log_ident, sizeof log_ident, "%s",
	    ident != NULL && *ident != '\0' ? ident : "schemawatchd");
	bad_env = sink_from_env(&sink);
	log_sink_cur = sink_resolve(sink);
	log_maxpri = max_priority & LOG_PRIMASK;
	if (bad_env)
		log_msg(LOG_WARNING, "SCHEMAWATCHD_LOG=%s is not one of stderr, journal, auto; ignored",
		    getenv("SCHEMAWATCHD_LOG"));
}

void
log_fini(void)
{
	snprintf(log_ident, sizeof log_ident, "%s", "schemawatchd");
	log_sink_cur = LOG_SINK_STDERR;
	log_maxpri = LOG_INFO;
}

enum log_sink
log_sink_active(void)
{
	return log_sink_cur;
}

const char *
log_event_message_id(enum log_event ev)
{
	if (ev < LOGEV_NONE || ev >= LOGEV__COUNT)
		return NULL;
	return log_events[ev].message_id;
}

const char *
log_event_name(enum log_event ev)
{
	if (ev < LOGEV_NONE || ev >= LOGEV__COUNT)
		return NULL;
	return log_events[ev].name;
}
