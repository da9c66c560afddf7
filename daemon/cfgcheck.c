/* cfgcheck.c — a configuration against this machine (see cfgcheck.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cfgcheck.h"
#include "dbfile.h"
#include "log.h"
#include "util.h"

static void
add(char ***v, int *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
add(char ***v, int *n, const char *fmt, ...)
{
	va_list ap;

	*v = xreallocarray(*v, (size_t)*n + 1, sizeof **v);
	va_start(ap, fmt);
	(*v)[(*n)++] = xvasprintf(fmt, ap);
	va_end(ap);
}

#define ERR(c, ...)	add(&(c)->errors, &(c)->nerrors, __VA_ARGS__)
#define WARN(c, ...)	add(&(c)->warnings, &(c)->nwarnings, __VA_ARGS__)

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

static void
check_socket(const struct config *cfg, struct cfgcheck *c)
{
	struct sockaddr_un sa;
	struct stat st;
	char *dir;

	if (cfg->socket_path == NULL)
		return;
	if (strlen(cfg->socket_path) >= sizeof sa.sun_path)
		ERR(c, "%s: socket: the path is %zu bytes long; a unix socket path holds at "
		    "most %zu", cfg->file, strlen(cfg->socket_path), sizeof sa.sun_path - 1);
	dir = dir_of(cfg->socket_path);
	if (stat(dir, &st) != 0)
		WARN(c, "%s: socket: directory %s does not exist (%s): the daemon cannot "
		    "listen there unless it is created before start (tmpfiles.d) or the socket "
		    "is passed by systemd", cfg->file, dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		ERR(c, "%s: socket: %s is not a directory", cfg->file, dir);
	free(dir);
}

/* Where posix_spawnp would find `prog`, or NULL. */
static char *
find_in_path(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	char *cand;

	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		/* An empty entry is the working directory, as for execvp. */
		cand = end == p ? xasprintf("./%s", prog) :
		    xasprintf("%.*s/%s", (int)(end - p), p, prog);
		if (access(cand, X_OK) == 0)
			return cand;
		free(cand);
		if (*end == '\0')
			return NULL;
	}
}

static void
check_alert_command(const struct config *cfg, struct cfgcheck *c)
{
	const char *prog = cfg->alert_command != NULL ? cfg->alert_command[0] : NULL;
	struct stat st;
	char *found;

	if (prog == NULL)
		return;
	if (strchr(prog, '/') == NULL) {
		if ((found = find_in_path(prog)) == NULL)
			ERR(c, "%s: alert_command: \"%s\" is not found in PATH", cfg->file, prog);
		free(found);
		return;
	}
	if (stat(prog, &st) != 0)
		ERR(c, "%s: alert_command: %s: %s", cfg->file, prog, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		ERR(c, "%s: alert_command: %s is not a file", cfg->file, prog);
	else if (access(prog, X_OK) != 0)
		ERR(c, "%s: alert_command: %s is not executable", cfg->file, prog);
}

static void
check_sqlite(const struct config *cfg, const struct cfg_target *t, struct cfgcheck *c)
{
	char *why = dbfile_diagnose(t->path, DBFILE_CREATE);

	if (why == NULL)
		return;
	/* What cannot change by itself before start is an error; a missing
	 * directory or a permission may be fixed by the deployment. */
	if (strncmp(why, "is a directory", 14) == 0 || strncmp(why, "not a database", 14) == 0)
		ERR(c, "%s:%d: target \"%s\": sqlite: %s: %s", cfg->file, t->line, t->name,
		    t->path, why);
	else
		WARN(c, "%s:%d: target \"%s\": sqlite: %s: %s", cfg->file, t->line, t->name,
		    t->path, why);
	free(why);
}

/* revision and previous_revision wrote the version row of the built-in V7;
 * the definition says it now. Set at all, they are a mistake to point out,
 * not to follow. */
static void
check_deprecated(const struct config *cfg, struct cfgcheck *c)
{
	if (cfg->revision_v7 != NULL)
		WARN(c, "%s: revision: \"%s\" has no effect: the revision ids come from the "
		    "definition (definition.yaml, id:); remove the key", cfg->file,
		    cfg->revision_v7);
	if (cfg->revision_prev != NULL)
		WARN(c, "%s: previous_revision: \"%s\" has no effect: the row before the "
		    "chain is the definition's previous: (definition.yaml); remove the key",
		    cfg->file, cfg->revision_prev);
}

void
cfgcheck_run(const struct config *cfg, struct cfgcheck *c)
{
	int i;

	memset(c, 0, sizeof *c);
	check_deprecated(cfg, c);
	check_socket(cfg, c);
	check_alert_command(cfg, c);
	for (i = 0; i < cfg->ntargets; i++)
		if (cfg->targets[i].kind == CFG_SQLITE)
			check_sqlite(cfg, &cfg->targets[i], c);
}

char *
cfgcheck_reload(const struct config *cfg)
{
	struct cfgcheck c;
	char *err = NULL;
	int i;

	cfgcheck_run(cfg, &c);
	for (i = 0; i < c.nwarnings; i++)
		log_msg(LOG_WARNING, "reload: %s", c.warnings[i]);
	if (c.nerrors > 0)
		err = xstrdup(c.errors[0]);
	cfgcheck_fini(&c);
	return err;
}

void
cfgcheck_fini(struct cfgcheck *c)
{
	int i;

	for (i = 0; i < c->nerrors; i++)
		free(c->errors[i]);
	for (i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->errors);
	free(c->warnings);
	memset(c, 0, sizeof *c);
}
