/* Unit tests for notify.c: real datagrams on a real NOTIFY_SOCKET, and the
 * watchdog heartbeat from a real event loop. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "notify.h"
#include "tap.h"
#include "util.h"

static int sock = -1;

static void
make_socket(void)
{
	const char *tmp = getenv("SW_TEST_TMP");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	snprintf(sun.sun_path, sizeof sun.sun_path, "%s/notify.sock", tmp ? tmp : "/tmp");
	unlink(sun.sun_path);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sun, sizeof sun) < 0) {
		perror("notify socket");
		exit(2);
	}
	setenv("NOTIFY_SOCKET", sun.sun_path, 1);
}

/* The next datagram, waiting at most ms; NULL when none came. */
static char *
next_dgram(int ms)
{
	static char buf[8192];
	struct pollfd p = { .fd = sock, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return NULL;
	n = recv(sock, buf, sizeof buf - 1, 0);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

#ifdef HAVE_SYSTEMD
static uint64_t
mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
test_messages(void)
{
	char *d, *end;
	uint64_t before, after, v;

	notify_ready();
	is_str(next_dgram(1000), "READY=1", "notify_ready sends READY=1");

	notify_status("%d targets: %d ok", 3, 3);
	is_str(next_dgram(1000), "STATUS=3 targets: 3 ok", "notify_status sends STATUS=");
	notify_status("%d targets: %d ok", 3, 3);
	ok(next_dgram(150) == NULL, "the same STATUS= is not sent twice");
	notify_status("2 targets:\n1 ok,\r1 drift");
	is_str(next_dgram(1000), "STATUS=2 targets: 1 ok, 1 drift",
	    "a changed STATUS= is sent, newlines become spaces");
	notify_status("3 targets: 3 ok");
	is_str(next_dgram(1000), "STATUS=3 targets: 3 ok", "going back to an earlier status is a change");

	before = mono_usec();
	notify_reloading();
	after = mono_usec();
	d = next_dgram(1000);
	ok(d != NULL && strncmp(d, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0,
	    "notify_reloading sends RELOADING=1 then MONOTONIC_USEC=");
	if (d != NULL && strlen(d) > 27) {
		ok(isdigit((unsigned char)d[27]), "MONOTONIC_USEC= is digits");
		v = strtoull(d + 27, &end, 10);
		ok(*end == '\0', "nothing follows the MONOTONIC_USEC digits");
		ok(v >= before && v <= after, "MONOTONIC_USEC is CLOCK_MONOTONIC in usec, taken at the call");
	} else {
		ok(0, "MONOTONIC_USEC= is digits");
	}

	notify_stopping();
	is_str(next_dgram(1000), "STOPPING=1", "notify_stopping sends STOPPING=1");
	notify_errno(ENOENT);
	d = next_dgram(1000);
	is_str(d, "ERRNO=2", "notify_errno sends ERRNO=<n>");
}

struct wd_test {
	struct event_base	*base;
	uint64_t		 t[64];
	int			 n;
	int			 other;
};

static void
wd_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct wd_test *w = arg;
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);

	if (n <= 0)
		return;
	buf[n] = '\0';
	if (strcmp(buf, "WATCHDOG=1") == 0 && w->n < 64)
		w->t[w->n++] = mono_usec();
	else
		w->other++;
}

static void
stop_cb(evutil_socket_t fd, short what, void *arg)
{
	event_base_loopbreak(arg);
}

/* Run base for ms, recording the datagrams that arrive meanwhile. */
static void
run_for(struct wd_test *w, int ms)
{
	struct event *rd, *stop;
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	rd = event_new(w->base, sock, EV_READ | EV_PERSIST, wd_read_cb, w);
	stop = evtimer_new(w->base, stop_cb, w->base);
	event_add(rd, NULL);
	evtimer_add(stop, &tv);
	event_base_dispatch(w->base);
	event_free(rd);
	event_free(stop);
}

static void
test_watchdog(void)
{
	struct wd_test w = { 0 };
	uint64_t usec = 1;
	char pid[32];
	int i, good = 0;

	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	ok(!notify_watchdog_enabled(&usec) && usec == 0, "no WATCHDOG_USEC: watchdog off");

	setenv("WATCHDOG_USEC", "200000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	ok(!notify_watchdog_enabled(&usec), "WATCHDOG_PID of another process: watchdog off");

	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	ok(notify_watchdog_enabled(&usec), "WATCHDOG_USEC + our WATCHDOG_PID: watchdog on");
	is_int(usec, 200000, "watchdog interval read from WATCHDOG_USEC");

	w.base = event_base_new();
	notify_init(w.base);
	run_for(&w, 700);
	ok(w.n >= 4 && w.n <= 9, "about 7 WATCHDOG=1 in 700ms at a 100ms cadence");
	printf("# %d heartbeats, %d other datagrams\n", w.n, w.other);
	is_int(w.other, 0, "nothing but WATCHDOG=1 was sent meanwhile");
	/* The first one is sent at notify_init; the timer's come usec/2 apart. */
	for (i = 2; i < w.n; i++) {
		uint64_t gap = w.t[i] - w.t[i - 1];

		if (gap >= 60000 && gap <= 160000)
			good++;
		else
			printf("# gap %d: %llu usec\n", i, (unsigned long long)gap);
	}
	ok(w.n > 2 && good >= w.n - 3, "heartbeats come about 100ms apart");

	/* The environment is left alone: later calls still work. */
	ok(getenv("NOTIFY_SOCKET") != NULL && getenv("WATCHDOG_USEC") != NULL,
	    "NOTIFY_SOCKET and WATCHDOG_USEC are still set");
	notify_fini();
	w.n = w.other = 0;
	run_for(&w, 300);
	is_int(w.n, 0, "no heartbeat after notify_fini");
	notify_ready();
	is_str(next_dgram(1000), "READY=1", "notify works after notify_fini (stateless sends)");
	event_base_free(w.base);
}
#else
static void
test_messages(void)
{
	uint64_t usec = 1;
	struct event_base *base = event_base_new();
	char pid[32];

	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_USEC", "200000", 1);
	setenv("WATCHDOG_PID", pid, 1);
	notify_init(base);
	notify_ready();
	notify_status("x");
	notify_reloading();
	notify_stopping();
	notify_errno(5);
	ok(!notify_watchdog_enabled(&usec) && usec == 0, "without libsystemd: no watchdog");
	ok(next_dgram(400) == NULL, "without libsystemd: nothing is sent");
	notify_fini();
	event_base_free(base);
}

static void
test_watchdog(void)
{
}
#endif

int
main(void)
{
	setenv("SCHEMAWATCHD_LOG", "stderr", 1);
	log_init("test_notify", LOG_SINK_STDERR, LOG_DEBUG);
	make_socket();
	test_messages();
	test_watchdog();
	close(sock);
	log_fini();
	return tap_done();
}
