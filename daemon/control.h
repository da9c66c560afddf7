/* control.h — the control socket server (see doc/control-protocol.md).
 *
 * It owns the socket, the clients and the limits, and knows nothing of the
 * daemon: it is given an event base, a path and a request handler (for
 * schemawatchd, commands.c). Each line a client sends is one request handed
 * to the handler; requests of one client are answered in order, one at a
 * time. */
#ifndef SW_CONTROL_H
#define SW_CONTROL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

struct event_base;
struct ctl;

/* Who is on the other end, from SO_PEERCRED (and SO_PEERGROUPS) at accept
 * time: never from anything the client says. */
struct ctl_peer {
	uid_t	 uid;
	gid_t	 gid;		/* primary group */
	pid_t	 pid;
	gid_t	*groups;	/* supplementary groups */
	int	 ngroups;	/* -1: not known yet (the handler may resolve them) */
};

enum ctl_result {
	CTL_DONE,	/* req->response is set */
	CTL_WAIT	/* the handler calls ctl_finish(req) later */
};

/* One request. The handler allocates it (req_new: it may embed this struct
 * at the start of its own) and answers at once (CTL_DONE) or later
 * (CTL_WAIT: it sets cancel and calls ctl_finish(req) exactly once, from a
 * later loop pass). The server calls cancel instead when the client goes
 * away first; after either, the request belongs to the server again. */
struct ctl_req {
	struct ctl_peer	*peer;
	json_t		*response;	/* set by the handler */
	void		(*cancel)(struct ctl_req *);	/* the handler's, CTL_WAIT */
	void		*state;				/* the handler's */
	void		(*done)(struct ctl_req *);	/* the server's */
	void		*owner;				/* the server's */
};

/* Lines the server refuses itself, answered with the handler's words. */
enum ctl_refusal {
	CTL_REFUSE_TOO_LARGE,
	CTL_REFUSE_TOO_MANY_CLIENTS
};

struct ctl_handler {
	void		*ctx;
	struct ctl_req	*(*req_new)(void *ctx);
	enum ctl_result	 (*serve)(void *ctx, struct ctl_req *, const char *line, size_t len);
	/* Frees the request and its response. */
	void		 (*req_free)(void *ctx, struct ctl_req *);
	json_t		*(*refusal)(void *ctx, enum ctl_refusal, const char *message);
};

/* Limits (doc/control-protocol.md lists them for users). */
struct ctl_limits {
	size_t		 request_max;	/* bytes in one request line */
	int		 max_clients;	/* connected at once */
	int		 max_per_uid;	/* per uid other than root / ours */
	int64_t		 idle_ms;	/* a silent client is dropped after */
	size_t		 output_high;	/* stop serving a client not reading */
	size_t		 output_max;	/* drop it beyond this */
	int64_t		 accept_backoff_ms; /* after EMFILE / ENFILE */
};

/* The limits the daemon uses; idle_ms from SCHEMAWATCHD_CTL_IDLE_MS when
 * set (for tests). */
void		 ctl_limits_default(struct ctl_limits *);

/* Listen on path (or take the socket systemd passed); NULL and *err on
 * failure. The handler and limits are copied. */
struct ctl	*ctl_init(struct event_base *, const char *path, const struct ctl_handler *,
		    const struct ctl_limits *, char **err);
void		 ctl_fini(struct ctl *);

/* For CTL_WAIT handlers: the response is set, hand it to the server. */
void		 ctl_finish(struct ctl_req *);

#endif
