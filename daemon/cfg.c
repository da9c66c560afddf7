/* cfg.c — the configuration module's facade (see cfg.h): load a file or a
 * string into an immutable, validated struct config, free it, look things
 * up in it, and the reload rule.
 *
 * The work is done by the parts below it, which never include cfg.h:
 * cfg_yaml.c binds the YAML document, cfg_value.c converts, compares and
 * frees each type of value, cfg_keys.c holds the key table and prints it as
 * the man page, conninfo.c redacts connection strings. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfg_keys.h"
#include "cfg_value.h"
#include "cfg_yaml.h"
#include "conninfo.h"
#include "util.h"

static struct config *
load(const char *name, const char *text, size_t len, char **err)
{
	struct config *cfg = xcalloc(1, sizeof *cfg);

	cfg->file = xstrdup(name);
	if (cfg_yaml_bind(cfg, name, text, len, err) < 0) {
		cfg_free(cfg);
		return NULL;
	}
	return cfg;
}

struct config *
cfg_load(const char *path, char **err)
{
	struct config *cfg;
	size_t len;
	char *text;

	if ((text = read_file(path, &len)) == NULL) {
		if (err != NULL)
			*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	cfg = load(path, text, len, err);
	free(text);
	return cfg;
}

struct config *
cfg_load_string(const char *name, const char *text, char **err)
{
	return load(name, text, strlen(text), err);
}

void
cfg_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	cfg_value_release_scope(SC_TOP, cfg);
	free(cfg->file);
	free(cfg);
}

const struct cfg_target *
cfg_find_target(const struct config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->ntargets; i++)
		if (cfg->targets[i].name != NULL && strcmp(cfg->targets[i].name, name) == 0)
			return &cfg->targets[i];
	return NULL;
}

const struct cfg_group *
cfg_find_group(const struct config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->ngroups; i++)
		if (cfg->groups[i].name != NULL && strcmp(cfg->groups[i].name, name) == 0)
			return &cfg->groups[i];
	return NULL;
}

char *
cfg_conninfo_redact(const char *conninfo)
{
	return conninfo_redact(conninfo);
}

char *
cfg_restart_needed(const struct config *old, const struct config *new)
{
	const struct cfg_key *k;
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb);
	for (i = 0; i < cfg_nkeys; i++) {
		k = &cfg_keys[i];
		if (k->scope != SC_TOP || !(k->flags & KF_RESTART) ||
		    cfg_value_equal(k, old, new))
			continue;
		if (sb.len > 0)
			sbuf_add(&sb, ", ");
		sbuf_add(&sb, k->name);
	}
	return sb.len > 0 ? sbuf_steal(&sb) : NULL;
}

void
cfg_print_keys_man(FILE *out)
{
	cfg_keys_print_man(out);
}
