/* dbfile.h — why an SQLite database file cannot be opened, in plain words.
 *
 * SQLite says "unable to open database file" for a missing file, a missing
 * directory, a directory and a permission problem alike, and "file is not a
 * database" only at the first query. The file system can tell them apart:
 * this looks (stat, access, the 16-byte header) and names the one that
 * applies. */
#ifndef SW_DBFILE_H
#define SW_DBFILE_H

enum dbfile_use {
	DBFILE_READ,		/* a check: read-only, the file must exist */
	DBFILE_WRITE,		/* an apply on an existing database */
	DBFILE_CREATE,		/* an upgrade: a missing file is created */
};

/* NULL when nothing is wrong that the file system shows (SQLite's own
 * message then stands), else a malloc'd reason to follow "cannot open PATH: ",
 * starting with one of "no such file", "no such directory", "is a directory",
 * "not a database", "permission denied". SQLite's own spellings (":memory:",
 * "file:" URIs) are not looked at. */
char	*dbfile_diagnose(const char *path, enum dbfile_use use);

#endif
