/* Unit tests for dburl.c: what a developer types → kind, libpq string or
 * path, target name; or a clear refusal that never quotes a password. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dburl.h"
#include "tap.h"

#define PG	DBURL_POSTGRESQL
#define LITE	DBURL_SQLITE
#define BAD	-1

static void
test_parse(void)
{
	static const struct {
		const char	*text;
		int		 kind;		/* BAD: refused */
		const char	*value;		/* conninfo or path; for BAD: part of the message */
		const char	*name;
	} cases[] = {
		/* SQLite paths as typed in a shell */
		{ "./dev.db", LITE, "./dev.db", "dev.db" },
		{ "dev.db", LITE, "dev.db", "dev.db" },
		{ "/srv/app/data/prompter.sqlite3", LITE, "/srv/app/data/prompter.sqlite3",
		  "prompter.sqlite3" },
		{ "my db (copy).db", LITE, "my db (copy).db", "my_db__copy_.db" },
		{ ":memory:", BAD, "in-memory", NULL },
		{ "/srv/app/", BAD, "not a directory", NULL },
		/* SQLAlchemy sqlite URLs */
		{ "sqlite:///./dev.db", LITE, "./dev.db", "dev.db" },
		{ "sqlite:///dev.db", LITE, "dev.db", "dev.db" },
		{ "sqlite:////srv/app/dev.db", LITE, "/srv/app/dev.db", "dev.db" },
		{ "sqlite+pysqlite:///./dev.db", LITE, "./dev.db", "dev.db" },
		{ "SQLite:///x.db", LITE, "x.db", "x.db" },
		{ "sqlite:///my%20db.db", LITE, "my db.db", "my_db.db" },
		{ "sqlite:///bad%2.db", BAD, "%-escape", NULL },
		{ "sqlite:///nul%00.db", BAD, "%-escape", NULL },
		{ "sqlite://", BAD, "in-memory", NULL },
		{ "sqlite:///", BAD, "in-memory", NULL },
		{ "sqlite:///:memory:", BAD, "in-memory", NULL },
		{ "sqlite://host/dev.db", BAD, "no host", NULL },
		{ "sqlite:///./dev.db?mode=ro", BAD, "query string (\"?mode=ro\")", NULL },
		{ "sqlite:dev.db", BAD, "sqlite:///relative/path.db", NULL },
		{ "sqlite:////srv/app/", BAD, "not a directory", NULL },
		{ "file:dev.db?mode=ro", BAD, "\"file:\" URIs", NULL },
		/* libpq key=value */
		{ "dbname=prompter", PG, "dbname=prompter", "prompter" },
		{ "host=db1.example.com port=5433 dbname=prompter user=sw", PG,
		  "host=db1.example.com port=5433 dbname=prompter user=sw",
		  "db1.example.com-prompter" },
		{ "host=/tmp/pg dbname=prompter", PG, "host=/tmp/pg dbname=prompter", "prompter" },
		{ "host=a,b dbname=x", PG, "host=a,b dbname=x", "a-x" },
		{ "service=staging", PG, "service=staging", "staging" },
		{ "dbname='host=h password=hunter2'", PG, "dbname='host=h password=hunter2'",
		  "postgresql" },
		{ "host=db1 password='unterminated", BAD, "not shown here", NULL },
		/* libpq URIs */
		{ "postgresql://sw@db1/prompter", PG, "postgresql://sw@db1/prompter",
		  "db1-prompter" },
		{ "postgres://db1:5433/prompter?sslmode=require", PG,
		  "postgres://db1:5433/prompter?sslmode=require", "db1-prompter" },
		{ "postgresql:///prompter?host=/var/run/postgresql", PG,
		  "postgresql:///prompter?host=/var/run/postgresql", "prompter" },
		{ "postgresql://db1/x?ssl=true", PG, "postgresql://db1/x?ssl=true", "db1-x" },
		{ "postgresql://", PG, "postgresql://", "postgresql" },
		/* SQLAlchemy driver forms: the driver goes */
		{ "postgresql+psycopg2://sw:hunter2@db1/prompter", PG,
		  "postgresql://sw:hunter2@db1/prompter", "db1-prompter" },
		{ "postgresql+asyncpg://sw@localhost:5432/prompter", PG,
		  "postgresql://sw@localhost:5432/prompter", "localhost-prompter" },
		{ "postgresql+psycopg://db1/prompter?application_name=x", PG,
		  "postgresql://db1/prompter?application_name=x", "db1-prompter" },
		{ "postgresql+asyncpg://sw:hunter2@db1/prompter?ssl=require", BAD,
		  "sslmode=require", NULL },
		{ "postgresql://sw:hunter2@db1/prompter?prepared_statement_cache_size=0", BAD,
		  "unknown parameter \"prepared_statement_cache_size\"", NULL },
		{ "postgresql:prompter", BAD, "starts with postgresql://", NULL },
		{ "postgresql://sw:hunter2@[db1/x", BAD, "not shown here", NULL },
		/* everything else */
		{ "mysql+pymysql://sw:hunter2@db1/prompter", BAD,
		  "unsupported database URL scheme \"mysql+pymysql\"", NULL },
		{ "mssql://db1/x", BAD, "unsupported database URL scheme \"mssql\"", NULL },
		{ "", BAD, "empty", NULL },
	};
	struct dburl u;
	size_t i;
	char *err, what[200];
	int rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc = dburl_parse(cases[i].text, &u, &err);
		snprintf(what, sizeof what, "\"%s\"", cases[i].text);
		if (cases[i].kind == BAD) {
			if (!ok(rc == -1 && err != NULL && strstr(err, cases[i].value) != NULL,
			    what))
				printf("#   rc %d, message: %s\n", rc, err ? err : "(none)");
			/* A refusal never repeats a password. */
			snprintf(what, sizeof what, "\"%s\": no password in the message",
			    cases[i].text);
			ok(err == NULL || strstr(err, "hunter2") == NULL, what);
			free(err);
			dburl_fini(&u);
			continue;
		}
		if (!is_int(rc, 0, what)) {
			printf("#   message: %s\n", err);
			free(err);
			continue;
		}
		is_int(u.kind, cases[i].kind, what);
		is_str(u.kind == PG ? u.conninfo : u.path, cases[i].value, what);
		is_str(u.name, cases[i].name, what);
		ok(u.kind == PG ? u.path == NULL : u.conninfo == NULL, what);
		dburl_fini(&u);
	}
}

static void
test_config_values(void)
{
	char *path, *ci, *msg;

	is_str(dburl_sqlite_value("./dev.db", &path), NULL, "sqlite: a plain path");
	is_str(path, NULL, "sqlite: a plain path stays as written (no replacement)");
	is_str(dburl_sqlite_value("sqlite:////abs/dev.db", &path), NULL, "sqlite: URL");
	is_str(path, "/abs/dev.db", "sqlite: URL → its path");
	free(path);
	msg = dburl_sqlite_value("sqlite://", &path);
	ok(msg != NULL && strstr(msg, "in-memory") != NULL && path == NULL,
	    "sqlite: in-memory URL refused");
	free(msg);

	is_str(dburl_postgresql_value("postgresql+psycopg2://db1/x", &ci), NULL,
	    "postgresql: SQLAlchemy URI");
	is_str(ci, "postgresql://db1/x", "postgresql: driver dropped");
	free(ci);
	is_str(dburl_postgresql_value("host=db1 dbname=x", &ci), NULL, "postgresql: key=value");
	is_str(ci, "host=db1 dbname=x", "postgresql: key=value kept");
	free(ci);
	msg = dburl_postgresql_value("sqlite:///./dev.db", &ci);
	ok(msg != NULL && strstr(msg, "not a PostgreSQL") != NULL && ci == NULL,
	    "postgresql: an sqlite URL refused");
	free(msg);
}

static void
test_explicit(void)
{
	static const struct {
		const char	*text;
		bool		 explicit;
	} cases[] = {
		{ "dev", false }, { "prod-eu.1", false }, { "dev.db", true },
		{ "x.SQLITE3", true }, { "./dev", true }, { "sqlite:///dev", true },
		{ "postgresql+asyncpg://h/x", true }, { "dbname=x", true },
		{ "data.db3", true }, { "db", false },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_int(dburl_is_explicit(cases[i].text), cases[i].explicit, cases[i].text);
}

int
main(void)
{
	test_parse();
	test_config_values();
	test_explicit();
	return tap_done();
}
