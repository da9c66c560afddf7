/* dburl.h — what a developer types to name a database, turned into a target.
 *
 * Accepted (the forms of libpq, SQLAlchemy/Alembic and plain shells):
 *   ./dev.db, /srv/app/dev.db, dev.db           an SQLite file path
 *   sqlite:///./dev.db, sqlite:///dev.db         SQLAlchemy, relative path
 *   sqlite:////srv/app/dev.db                    SQLAlchemy, absolute path
 *   sqlite+pysqlite:///dev.db                    the driver part is dropped
 *   host=db1 dbname=prompter                     a libpq key=value string
 *   postgresql://u@db1/prompter, postgres://…    a libpq URI
 *   postgresql+psycopg2://…, postgresql+asyncpg://…   SQLAlchemy: driver dropped
 * Refused, each with its own message: in-memory SQLite (":memory:",
 * "sqlite://"), SQLite URLs with a host or a query string, SQLite "file:" URIs,
 * other schemes (mysql://, …), unknown libpq URI parameters, strings libpq
 * cannot parse. No message ever quotes a connection string: it may hold a
 * password.
 *
 * Pure: no I/O, nothing is opened or resolved (a relative path stays
 * relative; the caller decides against what). */
#ifndef SW_DBURL_H
#define SW_DBURL_H

#include <stdbool.h>

enum dburl_kind {
	DBURL_POSTGRESQL,
	DBURL_SQLITE,
};

struct dburl {
	enum dburl_kind	 kind;
	char		*conninfo;	/* POSTGRESQL: what libpq is given (may hold a password) */
	char		*path;		/* SQLITE: the file, percent-decoded, as written */
	char		*name;		/* a target name made from it: [A-Za-z0-9_.-]+ */
};

/* Parse `text`. 0 and *u filled (free with dburl_fini), or -1 and *err, a
 * malloc'd message without the text itself (it may hold a password). */
int	dburl_parse(const char *text, struct dburl *u, char **err);
void	dburl_fini(struct dburl *u);

/* The value of a configuration's "sqlite:" key: a plain path stays a path
 * (NULL returned, nothing to do); an sqlite: URL becomes its path in *path.
 * Returns NULL on success, else a malloc'd message. */
char	*dburl_sqlite_value(const char *text, char **path);

/* The value of a configuration's "postgresql:" key: a SQLAlchemy
 * "postgresql+DRIVER://" URI loses its driver part; anything else that
 * libpq accepts is kept as is. *conninfo is malloc'd; NULL or a message. */
char	*dburl_postgresql_value(const char *text, char **conninfo);

/* True when `text` is unmistakably a database rather than a target name:
 * a URL, a key=value string, a path with a "/" or a database file suffix
 * (.db, .sqlite, .sqlite3, .db3). Used by --apply without -c. */
bool	dburl_is_explicit(const char *text);

#endif
