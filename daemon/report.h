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
	/* Against the definition's chain (NULL when not known): the revision
	 * expected and the one the target is at; pending: steps behind; ahead:
	 * steps past; drift: the closest revision. */
	const char		*expected;
	const char		*revision;
	const char		*closest;
	int			 behind;
	int			 ahead;
};

/* [{"object","kind","expected","actual"}]; absent values are JSON null. */
json_t	*report_diffs_json(const struct diff_list *);
/* {"name","kind","state","revision","expected","behind"?,"ahead"?,"closest"?,
 * "error"?,"differences":[...]}; revision and expected are null when not
 * known. */
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
/* "prompter_v6 (1 behind prompter_v7)", "prompter_v7", "closest prompter_v7"...:
 * where a target stands on the chain, one cell; caller frees. NULL when
 * nothing is known. */
char	*report_revision_text(const struct target_report *);
/* The revision fields of a target report as JSON members of o. */
void	 report_revision_json(json_t *o, const struct target_report *);
void	 report_diffs_human(FILE *, const struct diff_list *, const char *indent);

#endif
