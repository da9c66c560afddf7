/* dbfile.c — SQLite open failures in plain words (see dbfile.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbfile.h"
#include "util.h"

/* The first 16 bytes of every SQLite 3 database file. */
static const char sqlite_header[16] = "SQLite format 3";

static char *
parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* The file does not exist: is it the file or its directory? */
static char *
missing(const char *path, const char *dir, enum dbfile_use use)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		if (errno == EACCES)
			return xstrdup("permission denied: no search permission on a "
			    "directory above it");
		return xasprintf("no such directory: %s", dir);
	}
	if (!S_ISDIR(st.st_mode))
		return xasprintf("no such directory: %s is not a directory", dir);
	if (use != DBFILE_CREATE)
		return xstrdup("no such file");
	if (access(dir, W_OK | X_OK) != 0)
		return xasprintf("permission denied: cannot create it (directory %s is not "
		    "writable)", dir);
	return NULL;
}

/* An existing regular file: may we read (and write) it, and is it SQLite? */
static char *
existing(const char *path, const char *dir, const struct stat *st, enum dbfile_use use)
{
	char head[sizeof sqlite_header];
	ssize_t n;
	int fd;

	if (access(path, use == DBFILE_READ ? R_OK : R_OK | W_OK) != 0 && errno == EACCES)
		return xasprintf("permission denied: cannot %s it",
		    use == DBFILE_READ ? "read" : "write");
	/* The rollback journal is created next to the database. */
	if (use != DBFILE_READ && access(dir, W_OK | X_OK) != 0 && errno == EACCES)
		return xasprintf("permission denied: cannot write in directory %s (SQLite's "
		    "journal goes next to the database)", dir);
	if (st->st_size == 0)
		return NULL;	/* an empty file is an empty database */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == EACCES ? xstrdup("permission denied: cannot read it") : NULL;
	n = read(fd, head, sizeof head);
	close(fd);
	if (n != (ssize_t)sizeof head || memcmp(head, sqlite_header, sizeof head) != 0)
		return xstrdup("not a database (the file has no SQLite header)");
	return NULL;
}

char *
dbfile_diagnose(const char *path, enum dbfile_use use)
{
	struct stat st;
	char *dir, *msg = NULL;

	if (path == NULL || *path == '\0' || strcmp(path, ":memory:") == 0 ||
	    strncmp(path, "file:", 5) == 0)
		return NULL;
	dir = parent_of(path);
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			msg = missing(path, dir, use);
		else if (errno == ENOTDIR)
			msg = xstrdup("no such directory: a component of the path is not a "
			    "directory");
		else if (errno == EACCES)
			msg = xstrdup("permission denied: no search permission on a directory "
			    "above it");
	} else if (S_ISDIR(st.st_mode))
		msg = xstrdup("is a directory (an SQLite database is a file)");
	else if (S_ISREG(st.st_mode))
		msg = existing(path, dir, &st, use);
	free(dir);
	return msg;
}
