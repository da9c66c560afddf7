/* dbargs.c — DATABASE arguments as targets (see dbargs.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conninfo.h"
#include "dbargs.h"
#include "dburl.h"
#include "util.h"

struct config *
dbargs_config(char **err)
{
	struct config *cfg;

	/* Through the parser, so the defaults are exactly a file's defaults ... */
	if ((cfg = cfg_load_string("(command line)", "targets:\n", err)) == NULL)
		return NULL;
	/* ... except the control socket: databases named on the command line
	 * belong to no running daemon's configuration, so `--apply DATABASE`
	 * runs here and never asks (or is refused by) whatever daemon happens
	 * to listen at the default path. */
	free(cfg->socket_path);
	cfg->socket_path = NULL;
	return cfg;
}

/* An SQLite path relative to the working directory, made absolute, with
 * leading "./" folded: "./dev.db" in /src is /src/dev.db. */
static char *
absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return xstrdup(path);
	while (path[0] == '.' && path[1] == '/') {
		path += 2;
		while (*path == '/')
			path++;
	}
	return strcmp(cwd, "/") == 0 ? xasprintf("/%s", path) : xasprintf("%s/%s", cwd, path);
}

/* `base`, or base-2, base-3 … : the first name no target of cfg has. */
static char *
unique_name(const struct config *cfg, const char *base)
{
	char *n = xstrdup(base);
	int i;

	for (i = 2; cfg_find_target(cfg, n) != NULL; i++) {
		free(n);
		n = xasprintf("%s-%d", base, i);
	}
	return n;
}

const struct cfg_target *
dbargs_add(struct config *cfg, const char *text, const char *label, char **err)
{
	struct cfg_target *t;
	struct dburl u;
	char *msg;

	if (dburl_parse(text, &u, &msg) != 0) {
		*err = xasprintf("%s: %s", label, msg);
		free(msg);
		return NULL;
	}
	cfg->targets = xreallocarray(cfg->targets, (size_t)cfg->ntargets + 1, sizeof *t);
	t = &cfg->targets[cfg->ntargets];
	memset(t, 0, sizeof *t);
	t->name = unique_name(cfg, u.name);
	cfg->ntargets++;
	if (u.kind == DBURL_POSTGRESQL) {
		t->kind = CFG_PG;
		t->conninfo = u.conninfo;
		u.conninfo = NULL;
		t->conninfo_safe = conninfo_redact(t->conninfo);
		t->schema = xstrdup("public");
	} else {
		t->kind = CFG_SQLITE;
		t->path = absolute(u.path);
	}
	dburl_fini(&u);
	*err = NULL;
	return t;
}
