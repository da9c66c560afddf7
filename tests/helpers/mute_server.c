/* mute_server — a TCP server that accepts connections and never answers.
 *
 * usage: mute_server PORTFILE
 * Listens on 127.0.0.1 on a free port, writes the port number to PORTFILE,
 * then accepts and holds every connection without reading or writing, until
 * SIGTERM. It stands for a database server that hangs. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	FILE *f;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: mute_server PORTFILE\n");
		return 2;
	}
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		perror("mute_server");
		return 1;
	}
	if ((f = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "%d\n", ntohs(sin.sin_port));
	fclose(f);
	for (;;)
		(void)accept(fd, NULL, NULL);	/* held open, never served */
}
