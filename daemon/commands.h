/* commands.h — the control protocol: one request line in, one response object out.
 *
 * control.c owns the socket, the clients and the limits; this module owns
 * what a request means: parsing, the protocol version, authorization, and the
 * table of commands (name, usage, argument counts, reading or changing, one
 * handler each). doc/control-protocol.md is the reference for other tools.
 *
 * It is control.c's request handler (cmd_handler). A command answers at once
 * or waits (CTL_WAIT, control.h) and calls ctl_finish later. It reads the
 * targets through views (target.h) and asks for work through the small API
 * the service hands it in struct cmd_env: nothing here knows the service. */
#ifndef SW_COMMANDS_H
#define SW_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>

#include "cfg.h"
#include "control.h"

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

struct apply;
struct groups;
struct history;
struct sched;
struct tgt_reg;
struct cmds;

/* What the commands work with; the service fills it once. */
struct cmd_env {
	struct event_base	*base;
	struct tgt_reg		*targets;
	struct groups		*groups;
	struct sched		*sched;
	struct apply		*apply;
	struct history		*hist;		/* NULL when state.db is unavailable */
	int64_t			 started_ms;	/* wall clock */
	/* The service's own: reload (parse, check, swap; *err on failure)
	 * and the STATUS= line. */
	void			*svc;
	int			 (*reload)(void *svc, char **err);
	char			*(*status_line)(void *svc);
};

struct cmd_entry;
struct cmd_req;

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments, as shown by help */
	const char	*help;		/* one line */
	int		 min_args;
	int		 max_args;
	bool		 mutating;	/* root, the daemon's uid, admin_group only */
	enum ctl_result	(*exec)(struct cmd_req *);
};

struct cmds	*cmds_new(const struct cmd_env *);
void		 cmds_free(struct cmds *);
/* The running configuration, at start and after every reload. admin_group
 * is looked up in the group database here, not per request: with NSS on
 * LDAP a lookup can take seconds, and it must not run on the loop for each
 * client. A group that does not exist is logged and admits nobody; creating
 * it later takes a reload. */
void		 cmds_configure(struct cmds *, const struct config *);
/* The request handler to give ctl_init. */
void		 cmds_handler(struct cmds *, struct ctl_handler *);

/* The table, in the order `help` lists it. */
const struct cmd_entry	*cmd_table(int *n);
const struct cmd_entry	*cmd_find(const char *name);
const char		*cmd_error_name(enum cmd_error);

/* May this peer run changing commands? Root, the daemon's effective uid, and
 * members (primary or supplementary) of the configured admin_group. */
bool			 cmd_peer_is_admin(const struct cmds *, struct ctl_peer *);

/* A response for a line that never became a request (too large, too many
 * clients): {"version":1,"ok":false,"error":{"code":C,"message":M}}. */
json_t			*cmd_error_response(enum cmd_error, const char *fmt, ...)
			    __attribute__((format(printf, 2, 3)));

#endif
