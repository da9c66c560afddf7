/* main.c — schemawatchd: parse the command line, then run one mode.
 *
 * Modes: the service (default), --check-config, --once, --apply,
 * --compile-definition (needs no configuration). Start-up
 * errors are the only fatal ones; everything at run time belongs to a target
 * or a client and is logged as such. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "compile.h"
#include "defset.h"
#include "log.h"
#include "migrate.h"
#include "notify.h"
#include "once.h"
#include "service.h"

#define EX_USAGE_STATUS 64	/* sysexits.h EX_USAGE */

#define DEFAULT_CONFIG SW_SYSCONFDIR "/schemawatchd/schemawatchd.yaml"

enum mode {
	MODE_SERVICE,
	MODE_CHECK_CONFIG,
	MODE_ONCE,
	MODE_APPLY,
	MODE_COMPILE,
};

struct options {
	const char	*config;
	enum mode	 mode;
	bool		 json;
	bool		 verbose;
	const char	*apply_target;	/* --apply */
	bool		 downgrade;
	bool		 dry_run;
	bool		 force;
	const char	*compile_dir;	/* --compile-definition */
	const char	*scratch;	/* --scratch */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: schemawatchd [-c FILE] [-v] [--check-config] [--once [--json]] [-V] [-h]\n"
	    "       schemawatchd [-c FILE] --apply TARGET [--downgrade] [--dry-run] [--force] [--json]\n"
	    "       schemawatchd --compile-definition DIR [--scratch CONNINFO]\n"
	    "\n"
	    "  -c, --config FILE   configuration file (default %s)\n"
	    "      --check-config  validate the configuration and exit (0, or 78 when bad)\n"
	    "      --once          check every target once, print the report and exit:\n"
	    "                      0 all ok, 1 drift/pending, 2 unreachable/error, 78 bad config\n"
	    "      --json          with --once or --apply: print JSON instead of text\n"
	    "      --apply TARGET  run the V7 upgrade on one target, no daemon needed:\n"
	    "                      0 applied (or dry run ok), 1 refused (wrong state),\n"
	    "                      2 failed (nothing changed), 78 bad config\n"
	    "      --downgrade     with --apply: run the downgrade instead\n"
	    "      --dry-run       with --apply: print the plan, check the state, change nothing\n"
	    "      --force         with --apply --downgrade: drop tables even when they hold rows\n"
	    "      --compile-definition DIR\n"
	    "                      compile a definition's SQL into DIR/compiled/ with the engines:\n"
	    "                      0 compiled, 1 parity failed, 2 SQL failed, 78 bad definition\n"
	    "      --scratch CONNINFO  with --compile-definition: the PostgreSQL server to make\n"
	    "                      a temporary database on (default: the libpq environment)\n"
	    "  -v, --verbose       log debug messages too\n"
	    "  -V, --version       print the version and exit\n"
	    "  -h, --help          print this help and exit\n"
	    "\n"
	    "Without a mode option it runs as a service (see schemawatchd(8)).\n",
	    DEFAULT_CONFIG);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_CHECK_CONFIG = 256, OPT_ONCE, OPT_JSON, OPT_APPLY, OPT_DOWNGRADE, OPT_DRY_RUN,
	    OPT_FORCE, OPT_COMPILE, OPT_SCRATCH };
	static const struct option longopts[] = {
		{ "config",		required_argument,	NULL, 'c' },
		{ "check-config",	no_argument,		NULL, OPT_CHECK_CONFIG },
		{ "once",		no_argument,		NULL, OPT_ONCE },
		{ "json",		no_argument,		NULL, OPT_JSON },
		{ "apply",		required_argument,	NULL, OPT_APPLY },
		{ "downgrade",		no_argument,		NULL, OPT_DOWNGRADE },
		{ "dry-run",		no_argument,		NULL, OPT_DRY_RUN },
		{ "force",		no_argument,		NULL, OPT_FORCE },
		{ "compile-definition",	required_argument,	NULL, OPT_COMPILE },
		{ "scratch",		required_argument,	NULL, OPT_SCRATCH },
		{ "verbose",		no_argument,		NULL, 'v' },
		{ "version",		no_argument,		NULL, 'V' },
		{ "help",		no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	o->config = DEFAULT_CONFIG;
	o->mode = MODE_SERVICE;
	o->json = false;
	o->verbose = false;
	o->apply_target = NULL;
	o->downgrade = o->dry_run = o->force = false;
	o->compile_dir = o->scratch = NULL;
	while ((ch = getopt_long(argc, argv, "c:vVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_CHECK_CONFIG:
			o->mode = MODE_CHECK_CONFIG;
			break;
		case OPT_ONCE:
			o->mode = MODE_ONCE;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_APPLY:
			o->mode = MODE_APPLY;
			o->apply_target = optarg;
			break;
		case OPT_DOWNGRADE:
			o->downgrade = true;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_COMPILE:
			o->mode = MODE_COMPILE;
			o->compile_dir = optarg;
			break;
		case OPT_SCRATCH:
			o->scratch = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'V':
			puts(PACKAGE_STRING);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "schemawatchd: unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	if (o->json && o->mode != MODE_ONCE && o->mode != MODE_APPLY) {
		fprintf(stderr, "schemawatchd: --json goes with --once or --apply\n");
		return -1;
	}
	if ((o->downgrade || o->dry_run || o->force) && o->mode != MODE_APPLY) {
		fprintf(stderr, "schemawatchd: --downgrade, --dry-run and --force go with --apply\n");
		return -1;
	}
	if (o->scratch != NULL && o->mode != MODE_COMPILE) {
		fprintf(stderr, "schemawatchd: --scratch goes with --compile-definition\n");
		return -1;
	}
	return 0;
}

/* The service stays in the foreground and talks to systemd; a failure to
 * start is reported with ERRNO= and a non-zero exit. */
static int
run_service(const struct options *opt, struct config *cfg)
{
	struct svc *s;
	int rc;

	log_init("schemawatchd", LOG_SINK_AUTO, opt->verbose ? LOG_DEBUG : LOG_INFO);
	if ((s = svc_init(opt->config, cfg)) == NULL) {
		notify_errno(EINVAL);
		log_fini();
		return 1;
	}
	rc = svc_run(s);
	svc_fini(s);
	log_msg(LOG_INFO, "stopped");
	log_fini();
	return rc == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct config *cfg;
	struct defset *defs;
	char *err = NULL;
	int rc;

	if (parse_options(argc, argv, &opt) != 0)
		return EX_USAGE_STATUS;
	if (opt.mode == MODE_COMPILE)	/* a definition, no configuration */
		return compile_definition(opt.compile_dir, opt.scratch);
	if ((cfg = cfg_load(opt.config, &err)) == NULL) {
		fprintf(stderr, "schemawatchd: %s\n", err);
		free(err);
		return EX_CONFIG_STATUS;
	}
	switch (opt.mode) {
	case MODE_CHECK_CONFIG:
		/* The definitions the configuration names are part of it. */
		if ((defs = defset_load(cfg, &err)) == NULL) {
			fprintf(stderr, "schemawatchd: %s\n", err);
			free(err);
			rc = EX_CONFIG_STATUS;
			break;
		}
		defset_unref(defs);
		printf("%s: configuration ok (%d target%s, %d group%s)\n", opt.config,
		    cfg->ntargets, cfg->ntargets == 1 ? "" : "s", cfg->ngroups,
		    cfg->ngroups == 1 ? "" : "s");
		rc = 0;
		break;
	case MODE_ONCE:
		rc = once_run(cfg, opt.json);
		break;
	case MODE_APPLY:
		rc = migrate_cli(cfg, opt.apply_target, opt.downgrade, opt.dry_run, opt.force,
		    opt.json);
		break;
	default:
		rc = run_service(&opt, cfg);
		cfg = NULL;	/* the service owns it */
		break;
	}
	cfg_free(cfg);
	return rc;
}
