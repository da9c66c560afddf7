/* notify.c — READY/STATUS/RELOADING/STOPPING/ERRNO and the watchdog
 * heartbeat, through sd_notify(3). */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#else
/* Built without libsystemd: the calls compile to nothing. */
static inline int
sd_notify(int unset_environment, const char *state)
{
	return 0;
}

static inline int
sd_notifyf(int unset_environment, const char *fmt, ...)
{
	return 0;
}

static inline int
sd_watchdog_enabled(int unset_environment, uint64_t *usec)
{
	return 0;
}
#endif

#include "log.h"
#include "notify.h"
#include "util.h"

/* STATUS= is shown by `systemctl status` on one line: longer is noise. */
#define NOTIFY_STATUS_MAX	1024

static struct event	*notify_wd_ev;
static char		*notify_last_status;

static void
notify_watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	sd_notify(0, "WATCHDOG=1");
}

void
notify_init(struct event_base *base)
{
	uint64_t usec;
	struct timeval tv;

	if (notify_wd_ev != NULL || !notify_watchdog_enabled(&usec))
		return;
	/* Half the interval, as sd_watchdog_enabled(3) recommends: one late
	 * heartbeat must not get us killed. */
	usec /= 2;
	if (usec == 0)
		usec = 1;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	notify_wd_ev = event_new(base, -1, EV_PERSIST, notify_watchdog_cb, NULL);
	if (notify_wd_ev == NULL || event_add(notify_wd_ev, &tv) < 0) {
		/* systemd will kill us for the missing heartbeat: say why. */
		log_msg(LOG_ERR, "cannot arm the watchdog timer (every %llu usec)",
		    (unsigned long long)usec);
		if (notify_wd_ev != NULL)
			event_free(notify_wd_ev);
		notify_wd_ev = NULL;
		return;
	}
	/* Tell systemd at once that we are alive rather than waiting usec/2. */
	sd_notify(0, "WATCHDOG=1");
}

void
notify_fini(void)
{
	if (notify_wd_ev != NULL) {
		event_free(notify_wd_ev);
		notify_wd_ev = NULL;
	}
	free(notify_last_status);
	notify_last_status = NULL;
}

bool
notify_watchdog_enabled(uint64_t *usec)
{
	uint64_t u = 0;

	if (sd_watchdog_enabled(0, &u) > 0) {
		*usec = u;
		return true;
	}
	*usec = 0;
	return false;
}

void
notify_ready(void)
{
	sd_notify(0, "READY=1");
}

/* One line of at most NOTIFY_STATUS_MAX bytes, not cut inside a UTF-8
 * character. */
static void
status_flatten(char *s)
{
	size_t len = strlen(s);
	char *p;

	if (len > NOTIFY_STATUS_MAX) {
		len = NOTIFY_STATUS_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		s[len] = '\0';
	}
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

void
notify_status(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	status_flatten(s);

	/* The status is rebuilt after every check; systemd only needs changes. */
	if (notify_last_status != NULL && strcmp(s, notify_last_status) == 0) {
		free(s);
		return;
	}
	sd_notifyf(0, "STATUS=%s", s);
	free(notify_last_status);
	notify_last_status = s;
}

void
notify_reloading(void)
{
	struct timespec ts;
	unsigned long long usec;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	usec = (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL;
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", usec);
}

void
notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

void
notify_errno(int err)
{
	sd_notifyf(0, "ERRNO=%d", err);
}
