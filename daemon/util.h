/* util.h — allocation that never returns NULL, a growable string, small helpers.
 *
 * Out of memory is treated as fatal everywhere: a schema monitor that limps on
 * after a failed malloc would report states it never computed. */
#ifndef SW_UTIL_H
#define SW_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grow an array of n elements of size sz to hold at least need; updates *cap. */
void	*xreallocarray(void *, size_t n, size_t sz);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

/* Append-only string buffer. buf is always NUL-terminated once used. */
struct sbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};
void	 sbuf_init(struct sbuf *);
void	 sbuf_add(struct sbuf *, const char *);
void	 sbuf_addn(struct sbuf *, const char *, size_t);
void	 sbuf_addc(struct sbuf *, char);
void	 sbuf_printf(struct sbuf *, const char *, ...) __attribute__((format(printf, 2, 3)));
char	*sbuf_steal(struct sbuf *);	/* returns the string, resets the buffer */
void	 sbuf_free(struct sbuf *);

/* Monotonic clock in milliseconds / microseconds. */
int64_t	 now_ms(void);
uint64_t now_usec(void);
/* Wall clock, milliseconds since the epoch. */
int64_t	 wall_ms(void);

/* Parse a duration "250ms", "30s", "5m", "1h" (a bare number is seconds).
 * Returns 0 and sets *ms, or -1 when the text is not a duration. */
int	 parse_duration_ms(const char *, int64_t *ms);

/* The first non-empty line of a message (libpq's are multi-line), trimmed,
 * with every occurrence of `secret` (a password; NULL: none) overwritten by
 * '*'. libpq never quotes a password in its messages: this is a second belt.
 * Never NULL: "unknown error" for an empty message. */
char	*str_first_line(const char *msg, const char *secret);

/* Read a whole file; NULL with errno set on failure. */
char	*read_file(const char *path, size_t *len);

/* ---- text that may not be UTF-8 --------------------------------------------
 * The one policy for every JSON writer (control answers, --once --json,
 * history details, hook events): text from a database, a path or a server
 * message may be in another encoding; every byte that does not start a valid
 * UTF-8 sequence becomes U+FFFD, so nothing is dropped and JSON stays valid. */

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one
 * (overlong forms, surrogates and code points beyond U+10FFFF are not). */
int	 utf8_seq(const unsigned char *s);
/* A copy of s with every invalid byte replaced by U+FFFD (caller frees). */
char	*utf8_scrub(const char *s);
/* A JSON string of s through utf8_scrub; JSON null for NULL. Never NULL. */
struct json_t;
struct json_t *utf8_json(const char *s);

/* ---- libevent calls ---------------------------------------------------------
 * The one policy: event_new, event_add, evtimer_new, evsignal_new,
 * event_base_once, bufferevent_socket_new / _enable / _set_timeouts and
 * evconnlistener_enable fail only on ENOMEM or on a
 * programmer's error (a bad fd or event); both are fatal, as out of memory is
 * (util.c), instead of leaving a timer unarmed or a check slot taken forever. */
struct event;
struct event_base;
struct bufferevent;
struct timeval;
struct event	*xevent_new(struct event_base *, int fd, short what,
		    void (*cb)(int, short, void *), void *arg);
struct event	*xevtimer_new(struct event_base *, void (*cb)(int, short, void *), void *arg);
struct event	*xevsignal_new(struct event_base *, int sig, void (*cb)(int, short, void *),
		    void *arg);
void		 xevent_add(struct event *, const struct timeval *);
/* Arm a timer in ms from now (a negative delay counts as 0). */
void		 xevtimer_add_ms(struct event *, int64_t ms);
/* Run cb(arg) on the next loop pass, never from inside the caller. */
void		 xevent_defer(struct event_base *, void (*cb)(int, short, void *), void *arg);
struct bufferevent *xbufferevent_socket_new(struct event_base *, int fd, int options);
void		 xbufferevent_enable(struct bufferevent *, short what);
void		 xbufferevent_set_timeouts(struct bufferevent *, const struct timeval *read,
		    const struct timeval *write);
/* A listener paused after EMFILE must come back, or nobody is served again. */
struct evconnlistener;
void		 xevconnlistener_enable(struct evconnlistener *);

#endif
