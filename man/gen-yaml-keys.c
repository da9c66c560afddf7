/* gen-yaml-keys.c — build schemawatchd.yaml(5) from its template.
 *
 * Copies the template to stdout and replaces the line "@KEYS@" with the
 * daemon's own key table (cfg_print_keys_man), so the page lists exactly the
 * keys, types, defaults and reload behaviour that the parser implements.
 * Usage: gen-yaml-keys TEMPLATE > PAGE */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cfg.h"

#define KEYS_MARK "@KEYS@\n"

int
main(int argc, char **argv)
{
	char line[4096];
	FILE *in;
	int nmarks = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-yaml-keys TEMPLATE\n");
		return 2;
	}
	if ((in = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	while (fgets(line, sizeof line, in) != NULL) {
		if (strcmp(line, KEYS_MARK) == 0) {
			cfg_print_keys_man(stdout);
			nmarks++;
		} else
			fputs(line, stdout);
	}
	fclose(in);
	if (nmarks != 1) {
		fprintf(stderr, "gen-yaml-keys: %s: expected one line \"@KEYS@\", found %d\n",
		    argv[1], nmarks);
		return 1;
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
