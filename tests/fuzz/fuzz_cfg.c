/* fuzz_cfg — libFuzzer target for the configuration loader (cfg.h).
 *
 * The input is the text of a schemawatchd.yaml. Whatever it is, the loader
 * returns a configuration or an error saying where ("FILE:LINE:COLUMN:"),
 * never both and never neither. A configuration that loads is also compared
 * with itself for reload (cfg_restart_needed), and every target's
 * connection string is redacted, as the daemon does for its status. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c;
	char *text, *err = NULL, *s;
	int i;

	text = xstrndup((const char *)data, size);
	c = cfg_load_string("fuzz.yaml", text, &err);
	if ((c == NULL) == (err == NULL)) {
		fprintf(stderr, "cfg_load_string: config %p, error %s\n", (void *)c,
		    err ? err : "(null)");
		abort();
	}
	if (err != NULL && strncmp(err, "fuzz.yaml:", 10) != 0) {
		fprintf(stderr, "error without its place: %s\n", err);
		abort();
	}
	if (c != NULL) {
		free(cfg_restart_needed(c, c));
		for (i = 0; i < c->ntargets; i++) {
			if (cfg_find_target(c, c->targets[i].name) == NULL)
				abort();
			if (c->targets[i].conninfo != NULL &&
			    (s = cfg_conninfo_redact(c->targets[i].conninfo)) != NULL)
				free(s);
		}
	}
	cfg_free(c);
	free(err);
	free(text);
	return 0;
}
