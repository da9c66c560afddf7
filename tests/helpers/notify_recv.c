/* notify_recv — a stand-in for systemd's NOTIFY_SOCKET, for the end-to-end tests.
 *
 * usage: notify_recv PATH
 * Binds an AF_UNIX datagram socket at PATH and prints every datagram it
 * receives as one line "MILLISECONDS<TAB>payload" (newlines in the payload
 * become '|'), flushing after each, until SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sigaction sa = { .sa_handler = on_term };
	struct timespec ts;
	char buf[8192];
	ssize_t n;
	int fd, i;

	if (argc != 2 || strlen(argv[1]) >= sizeof sun.sun_path) {
		fprintf(stderr, "usage: notify_recv PATH\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: recv returns EINTR */
	strcpy(sun.sun_path, argv[1]);
	unlink(argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		perror("notify_recv");
		return 1;
	}
	while (!stop) {
		if ((n = recv(fd, buf, sizeof buf - 1, 0)) < 0)
			continue;
		buf[n] = '\0';
		while (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = '|';
		clock_gettime(CLOCK_MONOTONIC, &ts);
		printf("%lld\t%s\n", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, buf);
		fflush(stdout);
	}
	unlink(argv[1]);
	return 0;
}
