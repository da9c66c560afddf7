/* pgprep.c — the catalog query as a prepared statement (pgprep.h).
 *
 * A small hash table of connection keys: with 1,000 targets a check must not
 * walk a list of 1,000 entries. A key is kept as its 64-bit hash only (a
 * conninfo may hold a password; two keys with the same hash would also need
 * the same backend PID to be confused, and the price would be one failed
 * EXECUTE, after which the key is forgotten). An entry is one backend of a
 * key (targets sharing a connection string share a pool of connections, one
 * per check running at once) and holds the statement ids (a hash of the
 * query text) prepared on it: a handful. Entries of connections since
 * closed are dropped all at once past PGPREP_MAX: forgetting is always safe,
 * it only costs one PREPARE per connection. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "pgcat.h"
#include "pgprep.h"
#include "util.h"

#define PGPREP_BUCKETS	1024
#define PGPREP_MAX	8192
/* In an id: the text began with DEALLOCATE ALL, so after it the backend holds
 * exactly this statement. Only such a text may start a key's entry: one
 * sent while the entry was missing (cleared by a reload meanwhile) leaves it
 * missing, so a statement we do not know of is never PREPAREd twice. */
#define PP_FRESH	((uint64_t)1)

/* What pgcat.c's queries start with; the rest is one SELECT. */
static const char pgprep_prefix[] = PGCAT_PREFIX;
/* With a parameter the server would plan the first five executions anew
 * for their value (custom plans) on every connection, and may keep doing
 * so: the generic plan is as good here (the schema is looked up through an
 * index either way) and planned once. PostgreSQL 12 and later. */
static const char pgprep_generic[] = "SET LOCAL plan_cache_mode = force_generic_plan;\n";

struct pp_key {
	struct pp_key	*next;
	uint64_t	 kh;		/* pp_hash of the key */
	int		 pid;
	uint64_t	*ids;
	int		 nids;
};

static struct pp_key	*pp_table[PGPREP_BUCKETS];
static int		 pp_count;

/* FNV-1a, 64 bits: names statements and buckets keys. */
static uint64_t
pp_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t
pp_bucket(uint64_t kh, int pid)
{
	return (size_t)((kh ^ ((uint64_t)(unsigned)pid * 0x9e3779b97f4a7c15ULL)) % PGPREP_BUCKETS);
}

static struct pp_key **
pp_slot(uint64_t kh, int pid)
{
	struct pp_key **pp;

	for (pp = &pp_table[pp_bucket(kh, pid)]; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->kh == kh && (*pp)->pid == pid)
			break;
	return pp;
}

static void
pp_key_free(struct pp_key *k)
{
	free(k->ids);
	free(k);
}

static bool
pp_has(const struct pp_key *k, uint64_t id)
{
	int i;

	for (i = 0; i < k->nids; i++)
		if (k->ids[i] == id)
			return true;
	return false;
}

char *
pgprep_text(const char *key, int backend_pid, const char *q, const char *arg, uint64_t *id)
{
	size_t np = sizeof pgprep_prefix - 1;
	const struct pp_key *k;
	const char *sel = q + np;
	char name[48], exec[32];
	char *t;

	if (key == NULL || strncmp(q, pgprep_prefix, np) != 0 || strncmp(sel, "SELECT", 6) != 0) {
		*id = 0;
		return xstrdup(q);
	}
	/* Bit 1 set: never 0; bit 0: the text starts afresh (PP_FRESH). */
	/* The parameter's presence is part of the statement's identity. */
	*id = ((pp_hash(sel) ^ (arg != NULL ? 0x9e3779b97f4a7c15ULL : 0)) & ~(uint64_t)3) | 2;
	snprintf(exec, sizeof exec, "schemawatchd_%016llx", (unsigned long long)*id);
	snprintf(name, sizeof name, "%s%s", exec, arg != NULL ? "(text)" : "");
	k = *pp_slot(pp_hash(key), backend_pid);
	if (k != NULL && pp_has(k, *id))
		return xasprintf("%s%sEXECUTE %s%s%s%s", pgprep_prefix,
		    arg != NULL ? pgprep_generic : "", exec,
		    arg != NULL ? "(" : "", arg != NULL ? arg : "", arg != NULL ? ")" : "");
	/* A backend not seen yet, or one we lost track of: whatever it holds
	 * goes. */
	if (k == NULL)
		*id |= PP_FRESH;
	t = xasprintf("%s%sPREPARE %s AS %s;\n%sEXECUTE %s%s%s%s",
	    (*id & PP_FRESH) ? "DEALLOCATE ALL;\n" : "", pgprep_prefix, name, sel,
	    arg != NULL ? pgprep_generic : "", exec,
	    arg != NULL ? "(" : "", arg != NULL ? arg : "", arg != NULL ? ")" : "");
	return t;
}

void
pgprep_done(const char *key, int backend_pid, uint64_t id, bool ok)
{
	struct pp_key **pp, *k;
	uint64_t kh;

	if (key == NULL || id == 0)
		return;
	kh = pp_hash(key);
	pp = pp_slot(kh, backend_pid);
	if ((k = *pp) != NULL && (!ok || (id & PP_FRESH))) {
		*pp = k->next;
		pp_key_free(k);
		pp_count--;
		k = NULL;
	}
	if (!ok || (k == NULL && !(id & PP_FRESH)))
		return;
	id &= ~PP_FRESH;
	if (k == NULL) {
		if (pp_count >= PGPREP_MAX)
			pgprep_clear();
		k = xcalloc(1, sizeof *k);
		k->kh = kh;
		k->pid = backend_pid;
		k->next = pp_table[pp_bucket(kh, backend_pid)];
		pp_table[pp_bucket(kh, backend_pid)] = k;
		pp_count++;
	}
	if (!pp_has(k, id)) {
		k->ids = xreallocarray(k->ids, (size_t)k->nids + 1, sizeof *k->ids);
		k->ids[k->nids++] = id;
	}
}

void
pgprep_forget(const char *key, const PGconn *conn)
{
	struct pp_key **pp, *k;

	if (key == NULL || conn == NULL)
		return;
	pp = pp_slot(pp_hash(key), PQbackendPID(conn));
	if ((k = *pp) != NULL) {
		*pp = k->next;
		pp_key_free(k);
		pp_count--;
	}
}

void
pgprep_clear(void)
{
	struct pp_key *k;
	int i;

	for (i = 0; i < PGPREP_BUCKETS; i++)
		while ((k = pp_table[i]) != NULL) {
			pp_table[i] = k->next;
			pp_key_free(k);
		}
	pp_count = 0;
}

int
pgprep_count(void)
{
	return pp_count;
}
