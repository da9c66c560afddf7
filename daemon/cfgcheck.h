/* cfgcheck.h — what can be known about a configuration before start, beyond
 * its syntax: the things the file names on this machine.
 *
 * `schemawatchd --check-config` runs it after parsing (and a reload should):
 *   errors    the daemon cannot work as configured: a control socket path
 *             longer than a sockaddr_un holds; an alert_command that does
 *             not exist or is not executable (searched in PATH when it has
 *             no "/", as posix_spawnp does); an SQLite target that is a
 *             directory.
 *   warnings  true now but may change before start: the socket's directory
 *             does not exist (tmpfiles.d or socket activation may create it);
 *             an SQLite target's directory does not exist.
 * Messages start with the file name, and the line for a target. */
#ifndef SW_CFGCHECK_H
#define SW_CFGCHECK_H

#include "cfg.h"

struct cfgcheck {
	char	**errors;
	int	  nerrors;
	char	**warnings;
	int	  nwarnings;
};

void	cfgcheck_run(const struct config *, struct cfgcheck *);
void	cfgcheck_fini(struct cfgcheck *);

/* For a reload: run the checks, log the warnings, and return the first
 * error (malloc'd; the reload is refused) or NULL. */
char	*cfgcheck_reload(const struct config *);

#endif
