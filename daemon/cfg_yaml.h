/* cfg_yaml.h — the YAML binder: libyaml's document into a struct config.
 *
 * Part of the configuration module (cfg.h is its facade; only its parts
 * include this). */
#ifndef SW_CFG_YAML_H
#define SW_CFG_YAML_H

#include <stddef.h>

#include "cfg_types.h"

/* Fill `cfg` (zeroed, its file already set) from `len` bytes of YAML; name
 * is the file name for messages and the base of relative paths. Returns 0,
 * or -1 with *err "FILE:LINE:COLUMN: message" (caller frees); on failure cfg
 * may be partly filled and the caller frees it (cfg_free). */
int	 cfg_yaml_bind(struct config *cfg, const char *name, const char *text, size_t len,
	    char **err);

#endif
