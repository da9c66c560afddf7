/* sqltext.h — the statements of a SQL file, and errors that name them.
 *
 * Shared by the compiler (compile.c) and the migration engine (migrate*.c):
 * both run a revision's SQL one statement at a time, so that a failure is
 * reported as "FILE:LINE: statement N (TEXT) failed: MESSAGE" rather than as
 * a server message about a file of a hundred statements. */
#ifndef SW_SQLTEXT_H
#define SW_SQLTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The end of the PostgreSQL statement starting at s: after its ';' or at the
 * end of the text. Quotes, quoted identifiers, comments (nested block
 * comments) and dollar quotes are skipped whole. */
const char	*sqltext_statement_end(const char *s);
/* True when s[0..n) holds nothing but whitespace, ';' and comments. */
bool		 sqltext_blank(const char *s, size_t n);
/* The statement at s[0..n) without its leading whitespace. */
const char	*sqltext_skip_space(const char *s, const char *end);
/* "FILE:LINE: statement N (TEXT) failed: MESSAGE" (caller frees): LINE is
 * that of the statement's first word in text, TEXT the statement on one line
 * cut short, MESSAGE the first line of msg with `secret` scrubbed (may be
 * NULL). */
char		*sqltext_error(const char *file, const char *text, const char *stmt,
		    size_t len, int n, const char *msg, const char *secret);

#endif
