/* report.h — what a check found, for people (aligned tables) and for programs (JSON).
 *
 * Shared by `schemawatchd --once`, the control socket and schemawatchctl, so a
 * difference looks the same wherever it is read. */
#ifndef SW_REPORT_H
#define SW_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "compare.h"
#include "state.h"

struct target_report {
	const char		*name;
	const char		*kind;		/* "postgresql" / "sqlite" */
	enum tgt_state		 state;
	const char		*error;		/* unreachable / error reason, or NULL */
	const struct diff_list	*diffs;
};

/* [{"object","kind","expected","actual"}]; absent values are JSON null. */
json_t	*report_diffs_json(const struct diff_list *);
/* {"name","kind","state","error"?,"differences":[...]} */
json_t	*report_target_json(const struct target_report *);
/* Rebuild a diff list from its JSON (the client side of the socket).
 * Returns -1 when the JSON is not a differences array. */
int	 report_diffs_from_json(const json_t *, struct diff_list *);

/* "2024-05-01T12:00:00.123Z" (UTC), or JSON null for 0 ("never"). */
json_t	*report_iso_time(int64_t ms);
/* "obj kind; obj kind; and N more": the first `max` differences, for a log line. */
char	*report_diffs_summary(const struct diff_list *, int max);

/* An aligned text table: add rows of n cells, then print. */
struct text_table {
	int	  ncols;
	int	  nrows;
	char	**cells;	/* nrows * ncols */
};
void	 ttable_init(struct text_table *, int ncols);
void	 ttable_row(struct text_table *, ...);	/* ncols const char * (NULL → "-") */
void	 ttable_print(FILE *, const struct text_table *, const char *indent);
void	 ttable_free(struct text_table *);

/* The human report of --once: a summary table, then each target's differences. */
void	 report_human(FILE *, const struct target_report *, int n);
void	 report_diffs_human(FILE *, const struct diff_list *, const char *indent);

#endif
