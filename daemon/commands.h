/* commands.h — the control protocol: one request line in, one response object out.
 *
 * control.c owns the socket, the clients and the limits; this module owns
 * what a request means: parsing, the protocol version, authorization, and the
 * table of commands (name, usage, argument counts, reading or changing, one
 * handler each). doc/control-protocol.md is the reference for other tools.
 *
 * A handler answers at once (CMD_DONE, req->response set) or later
 * (CMD_WAIT: it sets req->cancel and calls cmd_finish(req) exactly once
 * when the answer is ready, from a later loop pass, never from inside
 * cmd_dispatch). The server calls req->cancel instead when the client goes
 * away first; after either, the request belongs to the server again. */
#ifndef SW_COMMANDS_H
#define SW_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>

#define CTL_PROTOCOL_VERSION	1

/* Error codes of the protocol; the strings are stable. */
#define CMD_ERRORS(X)					\
	X(BAD_REQUEST,		"bad_request")		\
	X(UNKNOWN_COMMAND,	"unknown_command")	\
	X(UNKNOWN_TARGET,	"unknown_target")	\
	X(PERMISSION_DENIED,	"permission_denied")	\
	X(TOO_LARGE,		"too_large")		\
	X(TOO_MANY_CLIENTS,	"too_many_clients")	\
	X(NOT_AVAILABLE,	"not_available")	\
	X(FAILED,		"failed")

#define CMD_ERR_ENUM(e, s) CMDERR_##e,
enum cmd_error {
	CMD_ERRORS(CMD_ERR_ENUM)
	CMDERR__COUNT
};
#undef CMD_ERR_ENUM

struct daemon;

/* Who is on the other end, from SO_PEERCRED (and SO_PEERGROUPS) at accept
 * time: never from anything the client says. */
struct cmd_peer {
	uid_t	 uid;
	gid_t	 gid;		/* primary group */
	pid_t	 pid;
	gid_t	*groups;	/* supplementary groups */
	int	 ngroups;	/* -1: not known yet (resolved on first need) */
};

enum cmd_result {
	CMD_DONE,	/* req->response is set */
	CMD_WAIT	/* cmd_finish(req) comes later */
};

struct cmd_req {
	struct daemon		*d;
	struct cmd_peer		*peer;
	const char		*command;	/* into the parsed request */
	const char		**args;
	int			 nargs;
	json_t			*request;	/* the parsed line, or NULL */
	json_t			*response;	/* set by cmd_ok / cmd_err */
	/* CMD_WAIT: set by the handler, called by the server if the client
	 * leaves before the answer; state is the handler's. */
	void			(*cancel)(struct cmd_req *);
	void			*state;
	/* Set by the server: called by cmd_finish. */
	void			(*done)(struct cmd_req *);
	void			*owner;
};

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments, as shown by help */
	const char	*help;		/* one line */
	int		 min_args;
	int		 max_args;
	bool		 mutating;	/* root, the daemon's uid, admin_group only */
	enum cmd_result	(*exec)(struct cmd_req *);
};

/* The table, in the order `help` lists it. */
const struct cmd_entry	*cmd_table(int *n);
const struct cmd_entry	*cmd_find(const char *name);
const char		*cmd_error_name(enum cmd_error);

/* Parse one request line (without its newline) and run it. The caller fills
 * d, peer, done and owner; the result says whether req->response is ready. */
enum cmd_result		 cmd_dispatch(struct cmd_req *, const char *line, size_t len);
/* Release what cmd_dispatch allocated (request, response, args). */
void			 cmd_req_clear(struct cmd_req *);

/* Responses: {"version":1,"ok":true,"result":R} (steals result) and
 * {"version":1,"ok":false,"error":{"code":C,"message":M}}. An "id" in the
 * request is echoed back. */
void			 cmd_ok(struct cmd_req *, json_t *result);
void			 cmd_err(struct cmd_req *, enum cmd_error, const char *fmt, ...)
			    __attribute__((format(printf, 3, 4)));
/* A response for a line that never became a request (too large, too many
 * clients): same shape, no id. */
json_t			*cmd_error_response(enum cmd_error, const char *fmt, ...)
			    __attribute__((format(printf, 2, 3)));
/* For CMD_WAIT handlers: the response is set, hand it to the server. */
void			 cmd_finish(struct cmd_req *);

/* May this peer run changing commands? Root, the daemon's effective uid, and
 * members (primary or supplementary) of the configured admin_group. */
bool			 cmd_peer_is_admin(const struct daemon *, struct cmd_peer *);
/* Look admin_group up in the group database once, at start and at every
 * reload, not per request: with NSS on LDAP a lookup can take seconds, and
 * it must not run on the loop for each client. A group that does not exist
 * is logged and admits nobody; creating it later takes a reload. */
void			 cmd_admin_group_resolve(struct daemon *);

/* A JSON string from text that may not be valid UTF-8 (paths, server
 * messages): invalid bytes become U+FFFD. NULL gives JSON null. */
json_t			*cmd_json_str(const char *);

#endif
