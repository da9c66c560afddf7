/* control.c — the control socket: listening, clients, limits, peer credentials.
 *
 * A UNIX stream socket on the daemon's loop; every client is a bufferevent,
 * so reads and writes never block and a slow reader only fills its own
 * output buffer. Each line is one request, handed to the request handler
 * (commands.c in schemawatchd); requests of one client are answered in order,
 * one at a time (a `check` that waits holds back the client's next lines,
 * not anyone else's).
 *
 * Limits (struct ctl_limits; doc/control-protocol.md lists them for users):
 *  - a request line is at most CTL_REQUEST_MAX bytes: longer gets "too_large"
 *    and the connection is closed (the read high-water mark bounds memory);
 *  - at most CTL_MAX_CLIENTS clients, and CTL_MAX_PER_UID per unprivileged
 *    uid (root and the daemon's own uid can stop the daemon anyway; limiting
 *    them would only break their tooling): beyond, "too_many_clients", close;
 *  - a client silent for the idle timeout (30 s; SCHEMAWATCHD_CTL_IDLE_MS
 *    overrides it, for tests) is dropped, and so is one that does not read
 *    its answers for as long; while it waits for `check` it is not idle;
 *  - a client that pipelines requests without reading the answers is not
 *    served further while CTL_OUTPUT_HIGH bytes wait for it, and dropped if
 *    one answer would push that beyond CTL_OUTPUT_MAX;
 *  - accept() failing for lack of descriptors or memory pauses the listener
 *    for CTL_ACCEPT_BACKOFF_MS instead of spinning on a readable socket. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "control.h"
#include "log.h"
#include "util.h"

#define CTL_REQUEST_MAX		65536		/* bytes in one request line */
#define CTL_MAX_CLIENTS		256		/* connected at once */
#define CTL_MAX_PER_UID		64		/* per uid other than root / ours */
#define CTL_IDLE_MS		30000		/* silent client dropped after */
#define CTL_OUTPUT_HIGH		(256 * 1024)	/* stop serving a client not reading */
#define CTL_OUTPUT_MAX		(16 * 1024 * 1024) /* drop it beyond this */
#define CTL_ACCEPT_BACKOFF_MS	1000		/* after EMFILE / ENFILE */
#define CTL_SOCKET_MODE		0660
#define CTL_FD_NAME		"control"	/* FileDescriptorName= of the .socket */

struct ctl_client {
	struct ctl		*ctl;
	struct bufferevent	*bev;
	struct ctl_peer		 peer;
	struct ctl_req		*req;		/* waiting for its answer, or NULL */
	struct event		*resume;	/* serve the next lines after an answer */
	bool			 counted;	/* counts against the limits */
	bool			 closing;	/* last answer queued: close once sent */
	bool			 eof;		/* the client shut down its side */
	TAILQ_ENTRY(ctl_client)	 entry;
};

struct ctl {
	struct event_base	*base;
	struct ctl_handler	 h;
	struct ctl_limits	 lim;
	struct evconnlistener	*listener;
	struct event		*backoff;	/* re-enables the listener */
	struct timeval		 idle;
	TAILQ_HEAD(, ctl_client) clients;
	int			 nclients;	/* counted ones */
	char			*path;		/* what we created and may unlink, or NULL */
	dev_t			 dev;
	ino_t			 ino;
};

static bool	client_process(struct ctl_client *);

/* ---- clients ------------------------------------------------------------------ */

static void
client_free(struct ctl_client *c)
{
	struct ctl *ctl = c->ctl;

	if (c->req != NULL) {
		/* Gone before its answer: stop waiting (the check itself goes on). */
		if (c->req->cancel != NULL)
			c->req->cancel(c->req);
		ctl->h.req_free(ctl->h.ctx, c->req);
	}
	if (c->counted)
		ctl->nclients--;
	TAILQ_REMOVE(&ctl->clients, c, entry);
	bufferevent_free(c->bev);
	if (c->resume != NULL)
		event_free(c->resume);
	free(c->peer.groups);
	free(c);
}

/* Queue one response line. Returns false when the client was dropped. */
static bool
client_send(struct ctl_client *c, json_t *resp)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	char *s = json_dumps(resp, JSON_COMPACT);

	if (s == NULL)
		s = xstrdup("{\"version\":1,\"ok\":false,\"error\":{\"code\":\"failed\","
		    "\"message\":\"the response could not be encoded\"}}");
	evbuffer_add(out, s, strlen(s));
	evbuffer_add(out, "\n", 1);
	free(s);
	if (evbuffer_get_length(out) > c->ctl->lim.output_max) {
		log_msg(LOG_WARNING, "control: client uid %u pid %d does not read its answers "
		    "(%zu bytes waiting); dropping it", (unsigned)c->peer.uid, (int)c->peer.pid,
		    evbuffer_get_length(out));
		client_free(c);
		return false;
	}
	return true;
}

/* Answer with an error and close once it is sent. */
static void
client_refuse(struct ctl_client *c, json_t *resp)
{
	c->closing = true;
	bufferevent_disable(c->bev, EV_READ);
	evbuffer_drain(bufferevent_get_input(c->bev), evbuffer_get_length(bufferevent_get_input(c->bev)));
	if (client_send(c, resp))
		xbufferevent_enable(c->bev, EV_WRITE);
	json_decref(resp);
}

/* Close a client that has nothing more to say or to hear. False when freed. */
static bool
client_settle(struct ctl_client *c)
{
	if (c->req != NULL || (!c->closing && !c->eof))
		return true;
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) > 0)
		return true;
	client_free(c);
	return false;
}

void
ctl_finish(struct ctl_req *req)
{
	req->cancel = NULL;
	req->state = NULL;
	req->done(req);
}

static void
client_req_done(struct ctl_req *req)
{
	struct ctl_client *c = req->owner;
	struct ctl *ctl = c->ctl;
	bool alive;

	c->req = NULL;
	alive = client_send(c, req->response);
	ctl->h.req_free(ctl->h.ctx, req);
	if (!alive)
		return;
	xbufferevent_set_timeouts(c->bev, &ctl->idle, &ctl->idle);
	/* Lines that came meanwhile: on the next pass, not inside the caller. */
	event_active(c->resume, EV_TIMEOUT, 1);
}

/* Run one request line. False when the client was dropped. */
static bool
client_run(struct ctl_client *c, const char *line, size_t len)
{
	struct ctl *ctl = c->ctl;
	struct ctl_req *req = ctl->h.req_new(ctl->h.ctx);
	bool alive;

	req->peer = &c->peer;
	req->done = client_req_done;
	req->owner = c;
	if (ctl->h.serve(ctl->h.ctx, req, line, len) == CTL_WAIT) {
		/* Waiting for the daemon is not being idle. */
		c->req = req;
		xbufferevent_set_timeouts(c->bev, NULL, &ctl->idle);
		return true;
	}
	alive = client_send(c, req->response);
	ctl->h.req_free(ctl->h.ctx, req);
	return alive;
}

/* Serve complete lines while nothing is pending and the client keeps up with
 * its answers. False when the client was dropped. */
static bool
client_process(struct ctl_client *c)
{
	struct ctl *ctl = c->ctl;
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct evbuffer_ptr eol;
	size_t eol_len, len;
	char *line, *msg;
	bool alive;

	while (c->req == NULL && !c->closing) {
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) >= ctl->lim.output_high)
			return true;	/* the write callback resumes */
		eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_LF);
		if (eol.pos < 0 ? evbuffer_get_length(in) > ctl->lim.request_max :
		    (size_t)eol.pos > ctl->lim.request_max) {
			log_msg(LOG_NOTICE, "control: client uid %u pid %d sent a request over %zu "
			    "bytes; closing", (unsigned)c->peer.uid, (int)c->peer.pid,
			    ctl->lim.request_max);
			msg = xasprintf("request too large: more than %zu bytes without a newline",
			    ctl->lim.request_max);
			client_refuse(c, ctl->h.refusal(ctl->h.ctx, CTL_REFUSE_TOO_LARGE, msg));
			free(msg);
			return true;
		}
		if (eol.pos >= 0)
			len = (size_t)eol.pos;
		else if (c->eof && evbuffer_get_length(in) > 0) {
			/* A last request without its newline still counts. */
			len = evbuffer_get_length(in);
			eol_len = 0;
		} else
			return true;
		line = xmalloc(len + 1);
		evbuffer_remove(in, line, len);
		evbuffer_drain(in, eol_len);
		line[len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (strspn(line, " \t") == len) {	/* blank lines are ignored */
			free(line);
			continue;
		}
		alive = client_run(c, line, len);
		free(line);
		if (!alive)
			return false;
	}
	return true;
}

static void
client_read_cb(struct bufferevent *bev, void *arg)
{
	client_process(arg);
}

static void
client_write_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_client *c = arg;

	/* Output drained: serve what waited behind it, or close. */
	if (client_process(c))
		client_settle(c);
}

static void
client_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_client *c = arg;

	if (client_process(c))
		client_settle(c);
}

static void
client_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_client *c = arg;

	if (what & BEV_EVENT_EOF) {
		c->eof = true;
		/* Whoever shuts down its side while `check` waits has gone away. */
		if (c->req != NULL) {
			client_free(c);
			return;
		}
		if (client_process(c))
			client_settle(c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		log_msg(LOG_DEBUG, "control: client uid %u pid %d idle for %ld ms; dropping it",
		    (unsigned)c->peer.uid, (int)c->peer.pid,
		    (long)(c->ctl->idle.tv_sec * 1000 + c->ctl->idle.tv_usec / 1000));
	else if (what & BEV_EVENT_ERROR)
		log_msg(LOG_DEBUG, "control: client uid %u pid %d: %s", (unsigned)c->peer.uid,
		    (int)c->peer.pid, strerror(EVUTIL_SOCKET_ERROR()));
	client_free(c);
}

/* ---- accepting ---------------------------------------------------------------- */

/* Supplementary groups as the kernel saw them at connect time; without
 * SO_PEERGROUPS they are looked up when first needed (commands.c). */
static void
peer_groups(int fd, struct ctl_peer *p)
{
#ifdef SO_PEERGROUPS
	socklen_t len = 64 * sizeof(gid_t);
	int rc;

	p->groups = xmalloc(len);
	rc = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, p->groups, &len);
	if (rc != 0 && errno == ERANGE) {	/* len now says how much is needed */
		p->groups = xrealloc(p->groups, len > 0 ? len : 1);
		rc = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, p->groups, &len);
	}
	if (rc == 0) {
		p->ngroups = (int)(len / sizeof(gid_t));
		return;
	}
	free(p->groups);
	p->groups = NULL;
#endif
	p->ngroups = -1;
}

static int
uid_clients(const struct ctl *ctl, uid_t uid)
{
	const struct ctl_client *c;
	int n = 0;

	TAILQ_FOREACH(c, &ctl->clients, entry)
		if (c->counted && c->peer.uid == uid)
			n++;
	return n;
}

/* NULL when the client may stay, else the refusal to send it. */
static json_t *
over_limits(const struct ctl *ctl, const struct ctl_peer *p)
{
	json_t *r;
	char *msg;

	if (ctl->nclients >= ctl->lim.max_clients)
		msg = xasprintf("too many clients (%d); try again later", ctl->lim.max_clients);
	else if (p->uid != 0 && p->uid != geteuid() &&
	    uid_clients(ctl, p->uid) >= ctl->lim.max_per_uid)
		msg = xasprintf("too many clients of uid %u (%d); try again later",
		    (unsigned)p->uid, ctl->lim.max_per_uid);
	else
		return NULL;
	r = ctl->h.refusal(ctl->h.ctx, CTL_REFUSE_TOO_MANY_CLIENTS, msg);
	free(msg);
	return r;
}

static void
ctl_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
    void *arg)
{
	struct ctl *ctl = arg;
	struct ctl_client *c;
	struct ucred cred;
	socklen_t len = sizeof cred;
	json_t *refusal;

	/* Identity from the kernel, as it was when the peer connected. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
		log_msg(LOG_WARNING, "control: cannot read the peer's credentials: %s",
		    strerror(errno));
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->ctl = ctl;
	c->peer.uid = cred.uid;
	c->peer.gid = cred.gid;
	c->peer.pid = cred.pid;
	peer_groups(fd, &c->peer);
	c->bev = xbufferevent_socket_new(ctl->base, fd, BEV_OPT_CLOSE_ON_FREE);
	TAILQ_INSERT_TAIL(&ctl->clients, c, entry);
	bufferevent_setcb(c->bev, client_read_cb, client_write_cb, client_event_cb, c);
	xbufferevent_set_timeouts(c->bev, &ctl->idle, &ctl->idle);
	if ((refusal = over_limits(ctl, &c->peer)) != NULL) {
		log_msg(LOG_NOTICE, "control: refusing client uid %u pid %d: too many clients",
		    (unsigned)c->peer.uid, (int)c->peer.pid);
		client_refuse(c, refusal);
		return;
	}
	c->counted = true;
	ctl->nclients++;
	c->resume = xevent_new(ctl->base, -1, 0, client_resume_cb, c);
	/* Reading stops at one byte over a request: enough to see it is too long. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, ctl->lim.request_max + 1);
	xbufferevent_enable(c->bev, EV_READ | EV_WRITE);
	log_msg(LOG_DEBUG, "control: client uid %u gid %u pid %d connected",
	    (unsigned)c->peer.uid, (unsigned)c->peer.gid, (int)c->peer.pid);
}

static void
ctl_backoff_done(evutil_socket_t fd, short what, void *arg)
{
	struct ctl *ctl = arg;

	xevconnlistener_enable(ctl->listener);
}

static void
ctl_accept_error(struct evconnlistener *l, void *arg)
{
	struct ctl *ctl = arg;
	int e = EVUTIL_SOCKET_ERROR();

	if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
		/* The connection stays in the backlog and the socket readable:
		 * without a pause this would spin. */
		log_msg(LOG_WARNING, "control: accept: %s; not accepting for %lld ms",
		    strerror(e), (long long)ctl->lim.accept_backoff_ms);
		evconnlistener_disable(l);
		xevtimer_add_ms(ctl->backoff, ctl->lim.accept_backoff_ms);
		return;
	}
	log_msg(LOG_WARNING, "control: accept: %s", strerror(e));
}

/* ---- the socket ------------------------------------------------------------- */

#ifdef HAVE_SYSTEMD
/* The socket a .socket unit passed: the one named CTL_FD_NAME, or the only
 * listening UNIX stream socket. -1 when there is none. */
static int
socket_inherited(void)
{
	char **names = NULL;
	int n, i, fd = -1, cand = -1, ncand = 0;

	/* Environment kept: LISTEN_PID already keeps children from using it. */
	if ((n = sd_listen_fds_with_names(0, &names)) <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		int f = SD_LISTEN_FDS_START + i;

		if (sd_is_socket_unix(f, SOCK_STREAM, 1, NULL, 0) <= 0)
			continue;
		if (names != NULL && names[i] != NULL && strcmp(names[i], CTL_FD_NAME) == 0) {
			fd = f;
			break;
		}
		cand = f;
		ncand++;
	}
	if (fd < 0 && ncand == 1)
		fd = cand;
	for (i = 0; names != NULL && names[i] != NULL; i++)
		free(names[i]);
	free(names);
	return fd;
}
#endif

/* Is a daemon answering on path? 1 yes, 0 no (a stale file), -1 error. */
static int
socket_live(const struct sockaddr_un *sa)
{
	int fd, rc, e;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof *sa);
	e = errno;
	close(fd);
	if (rc == 0 || e == EAGAIN || e == EINPROGRESS)	/* EAGAIN: its backlog is full */
		return 1;
	if (e == ECONNREFUSED || e == ENOENT)
		return 0;
	errno = e;
	return -1;
}

static int
socket_create(struct ctl *ctl, const char *path, char **err)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd, rc, e;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		*err = xasprintf("socket path %s is too long (at most %zu bytes)", path,
		    sizeof sa.sun_path - 1);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (lstat(path, &st) == 0) {
		/* Replace only a socket nobody answers on: never a live daemon's,
		 * never a file that is not a socket. */
		if (!S_ISSOCK(st.st_mode)) {
			*err = xasprintf("%s exists and is not a socket; not replacing it", path);
			return -1;
		}
		switch (socket_live(&sa)) {
		case 1:
			*err = xasprintf("another schemawatchd is listening on %s", path);
			return -1;
		case -1:
			*err = xasprintf("cannot check the existing socket %s: %s", path,
			    strerror(errno));
			return -1;
		}
		if (unlink(path) != 0 && errno != ENOENT) {
			*err = xasprintf("cannot remove the stale socket %s: %s", path,
			    strerror(errno));
			return -1;
		}
		log_msg(LOG_NOTICE, "control: removed the stale socket %s", path);
	} else if (errno != ENOENT) {
		*err = xasprintf("cannot stat %s: %s", path, strerror(errno));
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
		*err = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	/* bind() creates the file with 0777 & ~umask: never more than 0660,
	 * not even for a moment. */
	old = umask(0777 & ~CTL_SOCKET_MODE);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	e = errno;
	umask(old);
	if (rc != 0) {
		*err = xasprintf("cannot bind %s: %s", path, strerror(e));
		close(fd);
		return -1;
	}
	if (chmod(path, CTL_SOCKET_MODE) != 0 || listen(fd, SOMAXCONN) != 0 ||
	    stat(path, &st) != 0) {
		*err = xasprintf("cannot set up %s: %s", path, strerror(errno));
		unlink(path);
		close(fd);
		return -1;
	}
	ctl->path = xstrdup(path);
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	return fd;
}

void
ctl_limits_default(struct ctl_limits *lim)
{
	const char *s = getenv("SCHEMAWATCHD_CTL_IDLE_MS");
	long ms = CTL_IDLE_MS;
	char *end;

	lim->request_max = CTL_REQUEST_MAX;
	lim->max_clients = CTL_MAX_CLIENTS;
	lim->max_per_uid = CTL_MAX_PER_UID;
	lim->output_high = CTL_OUTPUT_HIGH;
	lim->output_max = CTL_OUTPUT_MAX;
	lim->accept_backoff_ms = CTL_ACCEPT_BACKOFF_MS;
	if (s != NULL && *s != '\0') {
		errno = 0;
		ms = strtol(s, &end, 10);
		if (*end != '\0' || errno != 0 || ms <= 0 || ms > 86400000L) {
			log_msg(LOG_WARNING, "SCHEMAWATCHD_CTL_IDLE_MS=%s is not a number of "
			    "milliseconds; using %d", s, CTL_IDLE_MS);
			ms = CTL_IDLE_MS;
		}
	}
	lim->idle_ms = ms;
}

struct ctl *
ctl_init(struct event_base *base, const char *path, const struct ctl_handler *h,
    const struct ctl_limits *lim, char **err)
{
	struct ctl *ctl = xcalloc(1, sizeof *ctl);
	int fd = -1;

	ctl->base = base;
	ctl->h = *h;
	ctl->lim = *lim;
	ctl->idle.tv_sec = (time_t)(lim->idle_ms / 1000);
	ctl->idle.tv_usec = (suseconds_t)((lim->idle_ms % 1000) * 1000);
	TAILQ_INIT(&ctl->clients);
#ifdef HAVE_SYSTEMD
	if ((fd = socket_inherited()) >= 0) {
		struct sockaddr_un sa;
		socklen_t len = sizeof sa;

		memset(&sa, 0, sizeof sa);
		if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.sun_path[0] != '\0' &&
		    path != NULL && strcmp(sa.sun_path, path) != 0)
			log_msg(LOG_NOTICE, "control: using the socket systemd passed (%s), not "
			    "%s from the configuration", sa.sun_path, path);
		else
			log_msg(LOG_INFO, "control: using the socket systemd passed");
		evutil_make_socket_nonblocking(fd);
		evutil_make_socket_closeonexec(fd);
	}
#endif
	if (fd < 0) {
		if (path == NULL) {
			*err = xstrdup("no socket path configured");
			free(ctl);
			return NULL;
		}
		if ((fd = socket_create(ctl, path, err)) < 0) {
			free(ctl);
			return NULL;
		}
	}
	ctl->listener = evconnlistener_new(base, ctl_accept, ctl,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (ctl->listener == NULL) {
		*err = xasprintf("cannot listen on %s: %s", path != NULL ? path : "the socket",
		    strerror(errno));
		close(fd);
		if (ctl->path != NULL)
			unlink(ctl->path);
		free(ctl->path);
		free(ctl);
		return NULL;
	}
	evconnlistener_set_error_cb(ctl->listener, ctl_accept_error);
	ctl->backoff = xevtimer_new(base, ctl_backoff_done, ctl);
	if (ctl->path != NULL)
		log_msg(LOG_INFO, "control: listening on %s", ctl->path);
	return ctl;
}

void
ctl_fini(struct ctl *ctl)
{
	struct stat st;

	if (ctl == NULL)
		return;
	while (!TAILQ_EMPTY(&ctl->clients))
		client_free(TAILQ_FIRST(&ctl->clients));
	evconnlistener_free(ctl->listener);
	event_free(ctl->backoff);
	/* Only the file we made, and only if it is still ours: an inherited
	 * socket belongs to systemd. */
	if (ctl->path != NULL && lstat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
	    st.st_ino == ctl->ino)
		unlink(ctl->path);
	free(ctl->path);
	free(ctl);
}
