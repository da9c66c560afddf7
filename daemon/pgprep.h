/* pgprep.h — the catalog query as a prepared statement on kept connections.
 *
 * PostgreSQL parses and plans a simple query's text at every execution, and
 * for the catalog query (a JSON document built from many correlated
 * subqueries) planning costs ~10× its execution. On a kept connection the
 * query is therefore PREPAREd once (plain SQL, in the same simple-query
 * round trip as its first EXECUTE) and only EXECUTEd afterwards: its plan is
 * generic (no parameters) and cached by the server, re-planned by the server
 * itself when the catalogs it reads change shape.
 *
 * Which statements a connection holds is remembered per connection key
 * (probe_pg.c's key) and backend PID, so a new connection starts afresh
 * and several connections of one key (targets sharing a connection string)
 * each prepare once. Any failure forgets the key;
 * the next text then begins with DEALLOCATE ALL, since PREPARE is not undone
 * by a rollback and a statement may exist that we do not know of.
 * Loop thread only. */
#ifndef SW_PGPREP_H
#define SW_PGPREP_H

#include <stdbool.h>
#include <stdint.h>

/* The text to send instead of the catalog query q ("SET LOCAL search_path
 * = '';\nSELECT ..." as pgcat.c writes it) on the connection of key with
 * backend_pid: EXECUTE alone when that connection prepared it, else PREPARE
 * and EXECUTE. arg: NULL, or the SQL literal for a q with one text
 * parameter $1 (pgcat_query_tables_param), so that one statement serves
 * every schema (PostgreSQL 12 or later: plan_cache_mode). *id identifies the statement for pgprep_done (0: q is not of
 * that form and is returned unchanged). Caller frees. */
char	*pgprep_text(const char *key, int backend_pid, const char *q, const char *arg,
	    uint64_t *id);
/* The text sent with id ran to its end without error (ok), or not. */
void	 pgprep_done(const char *key, int backend_pid, uint64_t id, bool ok);
/* The connection of key is about to be closed: forget what it held (a new
 * backend may get its PID). */
struct pg_conn;
void	 pgprep_forget(const char *key, const struct pg_conn *conn);
/* Forget everything (reload: kept connections are closed; at exit). */
void	 pgprep_clear(void);
/* Connections remembered now (for tests). */
int	 pgprep_count(void);

#endif
