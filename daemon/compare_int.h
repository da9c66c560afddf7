/* compare_int.h — what compare.c shares with compare_obj.c and
 * compare_idx.c (not a public interface). */
#ifndef SW_COMPARE_INT_H
#define SW_COMPARE_INT_H

#include <limits.h>
#include <stdbool.h>

#include "compare.h"

/* Report order inside a table. */
enum category {
	CAT_TABLE,
	CAT_OPTIONS,
	CAT_COLUMNS,
	CAT_COLUMN_ORDER,
	CAT_PK,
	CAT_UNIQUE,
	CAT_FK,
	CAT_CHECK,
	CAT_INDEX,
	CAT_OBJECT,	/* a table's triggers, policies, EXCLUDE constraints... */
};

/* Schema-level objects come after every table, before the version row. */
#define CMP_OBJECTS_RANK	(INT_MAX - 1)

struct cmp {
	const struct catalog	*e;
	const struct catalog	*a;
	bool			 cross;		/* dialects differ */
	bool			 names;		/* both sides report constraint names */
	const char		*table;
	int			 table_rank;
	int			 stride;	/* expected table i has rank (i + 1) * stride */
	struct diff_list	*out;
};

/* How one kind of table member (UNIQUE, FOREIGN KEY, CHECK, index) is
 * matched, compared and described by compare.c's compare_members(). */
struct member_ops {
	enum category	 category;
	size_t		 size;
	const char	*label;		/* names an unnamed object: "CHECK (...)" */
	bool		 by_name_only;	/* indexes: names are always reported */
	enum diff_kind	 missing, extra, renamed;
	const char	*(*name)(const void *);
	bool		 (*same)(const struct cmp *, const void *, const void *);
	bool		 (*key)(const void *, const void *);	/* NULL: none */
	void		 (*details)(struct cmp *, int, const char *, const void *, const void *);
	char		*(*describe)(const void *);
};

/* compare_idx.c: indexes. */
extern const struct member_ops cmp_index_ops;

/* One difference about c->table (member NULL) or c->table.member. */
void	 cmp_add_diff(struct cmp *, int category, int position, enum diff_kind,
	    const char *member, const char *expected, const char *actual);

/* compare_obj.c: a table's options (te and ta both present), and the
 * catalogs' objects (after the tables). */
void	 cmp_table_options(struct cmp *, const struct cat_table *te,
	    const struct cat_table *ta);
void	 cmp_objects(struct cmp *);

#endif
