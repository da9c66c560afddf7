/* main.c — schemawatchd: parse the command line, then run one mode.
 *
 * Modes: the service (default), --check-config, --once, --apply,
 * --install-ddl-events, --compile-definition (needs no configuration). Start-up
 * errors are the only fatal ones; everything at run time belongs to a target
 * or a client and is logged as such. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfgcheck.h"
#include "compile.h"
#include "defset.h"
#include "dbargs.h"
#include "dburl.h"
#include "ddl_install.h"
#include "log.h"
#include "migrate.h"
#include "notify.h"
#include "once.h"
#include "service.h"
#include "util.h"

#define EX_USAGE_STATUS 64	/* sysexits.h EX_USAGE */

#define DEFAULT_CONFIG SW_SYSCONFDIR "/schemawatchd/schemawatchd.yaml"

enum mode {
	MODE_SERVICE,
	MODE_CHECK_CONFIG,
	MODE_ONCE,
	MODE_APPLY,
	MODE_INSTALL_DDL,
	MODE_COMPILE,
};

struct options {
	const char	*config;
	enum mode	 mode;
	bool		 json;
	bool		 verbose;
	const char	*apply_target;	/* --apply, --install-ddl-events */
	bool		 downgrade;
	bool		 dry_run;
	bool		 config_given;	/* -c: otherwise DATABASEs need no file */
	char		**databases;	/* --once DATABASE... */
	int		 ndatabases;
	const char	*definition;	/* --definition (or its old name --sql-dir) */
	const char	*to;		/* --to */
	bool		 force;
	const char	*compile_dir;	/* --compile-definition */
	const char	*scratch;	/* --scratch */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: schemawatchd [-c FILE] [-v] [--check-config] [--once [--json]] [-V] [-h]\n"
	    "       schemawatchd --once [--json] DATABASE...\n"
	    "       schemawatchd [-c FILE] --apply TARGET|DATABASE [--to REVISION] [--downgrade]\n"
	    "                    [--dry-run] [--force] [--json] [--definition DIR]\n"
	    "       schemawatchd [-c FILE] --install-ddl-events TARGET\n"
	    "       schemawatchd --compile-definition DIR [--scratch CONNINFO]\n"
	    "\n"
	    "  -c, --config FILE   configuration file (default %s)\n"
	    "      --check-config  validate the configuration and exit (0, or 78 when bad)\n"
	    "      --once          check every target once, print the report and exit:\n"
	    "                      0 all ok, 1 drift/pending, 2 unreachable/error, 78 bad\n"
	    "                      configuration or DATABASE;\n"
	    "                      with DATABASE arguments (or, without -c, $DB_URL) those\n"
	    "                      databases are checked and no configuration file is read\n"
	    "      --json          with --once or --apply: print JSON instead of text\n"
	    "      --apply TARGET  walk one target along its definition's chain to its\n"
	    "                      expected revision, no daemon needed:\n"
	    "                      0 applied (or dry run ok), 1 refused, 2 failed (nothing\n"
	    "                      changed), 78 bad config; a DATABASE (./dev.db,\n"
	    "                      sqlite:///./dev.db, postgresql://...) needs no -c;\n"
	    "                      TARGET/SCHEMA: one schema of a schemas: target\n"
	    "      --to REVISION   with --apply: go to this revision instead (base: before\n"
	    "                      the first one, with --downgrade)\n"
	    "      --downgrade     with --apply: go down the chain: to the expected revision\n"
	    "                      when ahead of it, else one step (or to --to)\n"
	    "      --dry-run       with --apply: print the plan, check the state, change\n"
	    "                      nothing\n"
	    "      --definition DIR  with --apply or --once: the definition to use instead of\n"
	    "                      the configuration's (default %s);\n"
	    "                      --sql-dir DIR is its old name\n"
	    "      --install-ddl-events TARGET\n"
	    "                      install the DDL event trigger (needs a superuser) in a\n"
	    "                      PostgreSQL target's database, for ddl_events: 0 done, 1 not\n"
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
	    "DATABASE: an SQLite file (./dev.db, sqlite:///./dev.db, sqlite:////abs/dev.db),\n"
	    "a libpq string or URI (\"host=db1 dbname=x\", postgresql://db1/x) or a SQLAlchemy\n"
	    "URL (postgresql+psycopg2://db1/x: the driver part is ignored).\n"
	    "Without a mode option it runs as a service (see schemawatchd(8)).\n",
	    DEFAULT_CONFIG, SW_SQLDIR);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_CHECK_CONFIG = 256, OPT_ONCE, OPT_JSON, OPT_APPLY, OPT_DOWNGRADE, OPT_DRY_RUN,
	    OPT_SQL_DIR, OPT_INSTALL_DDL, OPT_FORCE, OPT_COMPILE, OPT_SCRATCH, OPT_TO };
	static const struct option longopts[] = {
		{ "config",		required_argument,	NULL, 'c' },
		{ "check-config",	no_argument,		NULL, OPT_CHECK_CONFIG },
		{ "once",		no_argument,		NULL, OPT_ONCE },
		{ "json",		no_argument,		NULL, OPT_JSON },
		{ "apply",		required_argument,	NULL, OPT_APPLY },
		{ "downgrade",		no_argument,		NULL, OPT_DOWNGRADE },
		{ "dry-run",		no_argument,		NULL, OPT_DRY_RUN },
		{ "sql-dir",		required_argument,	NULL, OPT_SQL_DIR },
		{ "definition",		required_argument,	NULL, OPT_SQL_DIR },
		{ "to",			required_argument,	NULL, OPT_TO },
		{ "install-ddl-events",	required_argument,	NULL, OPT_INSTALL_DDL },
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
	o->config_given = false;
	o->databases = NULL;
	o->ndatabases = 0;
	o->definition = NULL;
	o->to = NULL;
	o->compile_dir = o->scratch = NULL;
	while ((ch = getopt_long(argc, argv, "c:vVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			o->config_given = true;
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
		case OPT_INSTALL_DDL:
			o->mode = MODE_INSTALL_DDL;
			o->apply_target = optarg;
			break;
		case OPT_DOWNGRADE:
			o->downgrade = true;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_SQL_DIR:
			o->definition = optarg;
			break;
		case OPT_TO:
			o->to = optarg;
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
	if (optind < argc && o->mode == MODE_ONCE) {
		o->databases = argv + optind;
		o->ndatabases = argc - optind;
	} else if (optind < argc) {
		fprintf(stderr, "schemawatchd: unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	if (o->ndatabases > 0 && o->config_given) {
		fprintf(stderr, "schemawatchd: DATABASE arguments are checked without a "
		    "configuration file: drop -c, or name no DATABASE\n");
		return -1;
	}
	if (o->definition != NULL && o->mode != MODE_APPLY && o->mode != MODE_ONCE) {
		fprintf(stderr, "schemawatchd: --definition goes with --apply or --once\n");
		return -1;
	}
	if (o->scratch != NULL && o->mode != MODE_COMPILE) {
		fprintf(stderr, "schemawatchd: --scratch goes with --compile-definition\n");
		return -1;
	}
	if (o->json && o->mode != MODE_ONCE && o->mode != MODE_APPLY) {
		fprintf(stderr, "schemawatchd: --json goes with --once or --apply\n");
		return -1;
	}
	if ((o->downgrade || o->dry_run || o->force || o->to != NULL) && o->mode != MODE_APPLY) {
		fprintf(stderr, "schemawatchd: --to, --downgrade, --dry-run and --force go with "
		    "--apply\n");
		return -1;
	}
	return 0;
}

/* TARGET/SCHEMA where TARGET has schemas: a row of the file's, not a path
 * (migrate_cli says whether the schema matches). */
static bool
schema_row_name(const struct config *cfg, const char *name)
{
	const char *slash = strchr(name, '/');
	char *parent;
	const struct cfg_target *t;

	if (slash == NULL)
		return false;
	parent = xstrndup(name, (size_t)(slash - name));
	t = cfg_find_target(cfg, parent);
	free(parent);
	return t != NULL && t->nschemas > 0;
}

/* The configuration a mode runs on: the file (-c or the default), or the
 * built-in defaults plus the databases named on the command line, in $DB_URL
 * (--once without -c and without DATABASE), or given to --apply. On success
 * *apply_name is the target --apply works on. */
static struct config *
load_config(struct options *o, const char **apply_name, char **err)
{
	static char *db_url[1];
	const struct cfg_target *t;
	struct config *cfg;
	bool from_file;
	char label[32];
	int i;

	*apply_name = o->apply_target;
	if (o->mode == MODE_ONCE && !o->config_given && o->ndatabases == 0 &&
	    (db_url[0] = getenv("DB_URL")) != NULL && db_url[0][0] != '\0') {
		o->databases = db_url;
		o->ndatabases = 1;
	}
	from_file = o->ndatabases == 0 && (o->mode != MODE_APPLY || o->config_given ||
	    !dburl_is_explicit(o->apply_target));
	cfg = from_file ? cfg_load(o->config, err) : dbargs_config(err);
	if (cfg == NULL)
		return NULL;
	for (i = 0; i < o->ndatabases; i++) {
		if (o->databases == db_url)
			snprintf(label, sizeof label, "DB_URL");
		else
			snprintf(label, sizeof label, "DATABASE argument %d", i + 1);
		if ((t = dbargs_add(cfg, o->databases[i], label, err)) == NULL)
			goto fail;
		/* Say so: a configuration file, if there is one, was not read. */
		if (o->databases == db_url)
			fprintf(stderr, "schemawatchd: no -c and no DATABASE: checking $DB_URL "
			    "as target \"%s\"\n", t->name);
	}
	if (o->mode == MODE_APPLY && (!from_file ||
	    (cfg_find_target(cfg, o->apply_target) == NULL &&
	    !schema_row_name(cfg, o->apply_target) && dburl_is_explicit(o->apply_target)))) {
		if ((t = dbargs_add(cfg, o->apply_target, "--apply", err)) == NULL)
			goto fail;
		*apply_name = t->name;
	}
	if (o->definition != NULL) {
		free(cfg->definition);
		cfg->definition = xstrdup(o->definition);
	}
	return cfg;
fail:
	cfg_free(cfg);
	return NULL;
}

/* --check-config: the file parsed; now what it names on this machine. */
static int
check_config(const struct options *o, const struct config *cfg)
{
	struct cfgcheck c;
	int i, rc;

	cfgcheck_run(cfg, &c);
	for (i = 0; i < c.nwarnings; i++)
		fprintf(stderr, "schemawatchd: warning: %s\n", c.warnings[i]);
	for (i = 0; i < c.nerrors; i++)
		fprintf(stderr, "schemawatchd: %s\n", c.errors[i]);
	if (c.nerrors == 0)
		printf("%s: configuration ok (%d target%s, %d group%s)\n", o->config,
		    cfg->ntargets, cfg->ntargets == 1 ? "" : "s", cfg->ngroups,
		    cfg->ngroups == 1 ? "" : "s");
	rc = c.nerrors == 0 ? 0 : EX_CONFIG_STATUS;
	cfgcheck_fini(&c);
	return rc;
}

/* The service stays in the foreground and talks to systemd; a failure to
 * start is reported with ERRNO= and a non-zero exit. */
static int
run_service(const struct options *opt, struct config *cfg)
{
	struct svc *s;
	int rc;

#if defined(__GLIBC__) && defined(M_ARENA_MAX)
	/* SQLite checks run on short-lived worker threads, and glibc gives
	 * threads malloc arenas of their own that are never returned: with
	 * 1,000 targets they held more than half of the daemon's RSS (see
	 * README, bench/scale.sh). The workers allocate little, and never at
	 * once enough to contend: one arena for all. */
	mallopt(M_ARENA_MAX, 1);
#endif
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
	const char *apply_name;
	char *err = NULL;
	int rc;

	if (parse_options(argc, argv, &opt) != 0)
		return EX_USAGE_STATUS;
	if (opt.mode == MODE_COMPILE)	/* a definition, no configuration */
		return compile_definition(opt.compile_dir, opt.scratch);
	if ((cfg = load_config(&opt, &apply_name, &err)) == NULL) {
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
		rc = check_config(&opt, cfg);
		break;
	case MODE_ONCE:
		rc = once_run(cfg, opt.json);
		break;
	case MODE_APPLY:
		rc = migrate_cli(cfg, apply_name, &(struct migrate_req){ .downgrade = opt.downgrade,
		    .dry_run = opt.dry_run, .force = opt.force, .to = opt.to }, opt.json);
		break;
	case MODE_INSTALL_DDL:
		rc = ddl_install_cli(cfg, opt.apply_target);
		break;
	default:
		rc = run_service(&opt, cfg);
		cfg = NULL;	/* the service owns it */
		break;
	}
	cfg_free(cfg);
	return rc;
}
