/* cfg_keys.h — the key table: every key a user may write, described once.
 *
 * Part of the configuration module (cfg.h is its facade; only its parts
 * include this). Each entry says where the key may appear (its scope), its
 * type, where its value goes (an offset into struct config, cfg_target or
 * cfg_group), its default, whether a reload may change it and one line of
 * help. The YAML binder (cfg_yaml.c), the values (cfg_value.c), reload
 * (cfg_restart_needed) and the schemawatchd.yaml(5) page all read this one
 * table, so they cannot disagree about what a key is. */
#ifndef SW_CFG_KEYS_H
#define SW_CFG_KEYS_H

#include <stddef.h>
#include <stdio.h>

#include "cfg_types.h"

/* Where a key may appear. */
enum cfg_scope {
	SC_TOP,		/* struct config */
	SC_TARGET,	/* struct cfg_target: each entry of targets */
	SC_GROUP,	/* struct cfg_group: each entry of groups */
};

enum cfg_type {
	TY_DURATION,	/* int64_t milliseconds, > 0 */
	TY_STRING,	/* char * */
	TY_PATH,	/* char *, relative to the config file's directory */
	TY_BOOL,	/* bool */
	TY_INT,		/* int, within [min, max] */
	TY_STRLIST,	/* char ** plus an int count at off_count */
	TY_ARGV,	/* char **, NULL-terminated; never a shell string */
	TY_TARGETS,	/* struct cfg_target * plus count */
	TY_GROUPS,	/* struct cfg_group * plus count */
};

#define KF_RESTART	0x1	/* a reload cannot change it: needs a restart */
#define KF_REQUIRED	0x2
#define KF_NULLABLE	0x4	/* "key:" with no value means "none" */
#define KF_DBURL	0x8	/* may also be written as a URL (dburl.h): sqlite:///…,
				   postgresql+DRIVER://… */

/* Extra validation of a string value: NULL when fine, else a malloc'd message. */
typedef char *(*cfg_check_fn)(const char *value);

struct cfg_key {
	const char	*name;
	enum cfg_scope	 scope;
	enum cfg_type	 type;
	size_t		 off;		/* field in struct config / cfg_target / cfg_group */
	size_t		 off_count;	/* TY_STRLIST, TY_TARGETS, TY_GROUPS: the int count */
	const char	*dflt;		/* parsed like file text; NULL: none */
	const char	*dflt_doc;	/* what the man page says when dflt is NULL */
	int		 flags;
	int		 min, max;	/* TY_INT; TY_DURATION: min is a floor in ms */
	cfg_check_fn	 check;		/* TY_STRING extra validation */
	const char	*help;
};

/* The table, in the order of the man page. The binder keeps a per-mapping
 * array of CFG_KEYS_MAX slots indexed by a key's place in the table (which
 * keys it saw, where); cfg_keys.c asserts at compile time that it fits. */
#define CFG_KEYS_MAX	64
extern const struct cfg_key	cfg_keys[];
extern const size_t		cfg_nkeys;

/* The key of that name in that scope, or NULL. */
const struct cfg_key	*cfg_key_find(enum cfg_scope, const char *name);
/* A key of that scope whose name is close to `name` (a likely typo), or NULL. */
const char		*cfg_key_suggest(enum cfg_scope, const char *name);
/* A key's place in cfg_keys[]. */
size_t			 cfg_key_index(const struct cfg_key *);

/* The type as the man page names it: "duration", "list of strings"... */
const char		*cfg_type_name(enum cfg_type);

/* A user's text for a message: quoted, escaped and cut short, so a stray
 * binary blob or a huge value cannot make the message unreadable. Caller
 * frees. */
char			*cfg_quoted(const char *);

/* Print the table as man(7) source, one .SS per scope. */
void			 cfg_keys_print_man(FILE *);

#endif
