/* util.c — allocation, string buffers, clocks, durations, the UTF-8 and
 * libevent-failure policies. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <jansson.h>

#include "util.h"

static void
oom(void)
{
	/* Nothing sensible can be reported without memory; keep it short. */
	fputs("<2>schemawatchd: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		oom();
	return xrealloc(p, n * sz);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
sbuf_init(struct sbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

static void
sbuf_reserve(struct sbuf *sb, size_t more)
{
	size_t need = sb->len + more + 1;

	if (need <= sb->cap)
		return;
	if (sb->cap == 0)
		sb->cap = 64;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
}

void
sbuf_addn(struct sbuf *sb, const char *s, size_t n)
{
	sbuf_reserve(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sbuf_add(struct sbuf *sb, const char *s)
{
	sbuf_addn(sb, s, strlen(s));
}

void
sbuf_addc(struct sbuf *sb, char c)
{
	sbuf_addn(sb, &c, 1);
}

void
sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	sbuf_add(sb, p);
	free(p);
}

char *
sbuf_steal(struct sbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");

	sbuf_init(sb);
	return p;
}

void
sbuf_free(struct sbuf *sb)
{
	free(sb->buf);
	sbuf_init(sb);
}

int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
parse_duration_ms(const char *s, int64_t *ms)
{
	static const struct {
		const char	*suffix;
		int64_t		 mult;
	} units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "", 1000 },
	};
	char *end;
	long long v;
	size_t i;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			if (v > INT64_MAX / units[i].mult)
				return -1;
			*ms = v * units[i].mult;
			return 0;
		}
	}
	return -1;
}

char *
str_first_line(const char *msg, const char *secret)
{
	const char *end;
	size_t n;
	char *s, *p;

	if (msg == NULL)
		msg = "";
	while (*msg == '\n' || *msg == ' ' || *msg == '\t')
		msg++;
	end = msg + strcspn(msg, "\n");
	while (end > msg && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	s = end > msg ? xstrndup(msg, (size_t)(end - msg)) : xstrdup("unknown error");
	if (secret != NULL && (n = strlen(secret)) > 0)
		while ((p = strstr(s, secret)) != NULL)
			memset(p, '*', n);
	return s;
}

char *
read_file(const char *path, size_t *lenp)
{
	FILE *f;
	struct sbuf sb;
	char chunk[8192];
	size_t n;
	int saved;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	sbuf_init(&sb);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sbuf_addn(&sb, chunk, n);
	if (ferror(f)) {
		saved = errno;
		fclose(f);
		sbuf_free(&sb);
		errno = saved;
		return NULL;
	}
	fclose(f);
	if (lenp != NULL)
		*lenp = sb.len;
	return sbuf_steal(&sb);
}

/* ---- UTF-8 ------------------------------------------------------------------ */

int
utf8_seq(const unsigned char *s)
{
	int n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* a NUL ends here too */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *
utf8_scrub(const char *s)
{
	const unsigned char *p;
	struct sbuf sb;
	int n;

	sbuf_init(&sb);
	sbuf_add(&sb, "");
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if ((n = utf8_seq(p)) == 0) {
			sbuf_add(&sb, "\xef\xbf\xbd");	/* U+FFFD */
			n = 1;
		} else
			sbuf_addn(&sb, (const char *)p, (size_t)n);
	}
	return sbuf_steal(&sb);
}

json_t *
utf8_json(const char *s)
{
	json_t *j;
	char *clean;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)	/* the common case: already valid */
		return j;
	clean = utf8_scrub(s);
	j = json_string(clean);
	free(clean);
	if (j == NULL)
		oom();
	return j;
}

/* ---- libevent ------------------------------------------------------------------ */

static void
event_failed(const char *what)
{
	fprintf(stderr, "<2>schemawatchd: %s failed (out of memory?)\n", what);
	abort();
}

struct event *
xevent_new(struct event_base *base, int fd, short what, void (*cb)(int, short, void *),
    void *arg)
{
	struct event *ev = event_new(base, fd, what, cb, arg);

	if (ev == NULL)
		event_failed("event_new");
	return ev;
}

struct event *
xevtimer_new(struct event_base *base, void (*cb)(int, short, void *), void *arg)
{
	return xevent_new(base, -1, 0, cb, arg);
}

struct event *
xevsignal_new(struct event_base *base, int sig, void (*cb)(int, short, void *), void *arg)
{
	return xevent_new(base, sig, EV_SIGNAL | EV_PERSIST, cb, arg);
}

void
xevent_add(struct event *ev, const struct timeval *tv)
{
	if (event_add(ev, tv) != 0)
		event_failed("event_add");
}

void
xevtimer_add_ms(struct event *ev, int64_t ms)
{
	struct timeval tv;

	if (ms < 0)
		ms = 0;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
	xevent_add(ev, &tv);
}

void
xevent_defer(struct event_base *base, void (*cb)(int, short, void *), void *arg)
{
	static const struct timeval zero = { 0, 0 };

	if (event_base_once(base, -1, EV_TIMEOUT, cb, arg, &zero) != 0)
		event_failed("event_base_once");
}

struct bufferevent *
xbufferevent_socket_new(struct event_base *base, int fd, int options)
{
	struct bufferevent *bev = bufferevent_socket_new(base, fd, options);

	if (bev == NULL)
		event_failed("bufferevent_socket_new");
	return bev;
}

void
xbufferevent_enable(struct bufferevent *bev, short what)
{
	if (bufferevent_enable(bev, what) != 0)
		event_failed("bufferevent_enable");
}

void
xbufferevent_set_timeouts(struct bufferevent *bev, const struct timeval *rd,
    const struct timeval *wr)
{
	if (bufferevent_set_timeouts(bev, rd, wr) != 0)
		event_failed("bufferevent_set_timeouts");
}

void
xevconnlistener_enable(struct evconnlistener *l)
{
	if (evconnlistener_enable(l) != 0)
		event_failed("evconnlistener_enable");
}
