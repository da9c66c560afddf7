/* fuzz_normalize — libFuzzer target for the expression/type/default
 * normalizer (normalize.h), both dialects.
 *
 * The first byte chooses the dialect (bit 0) and the function (bits 1-2);
 * the rest is the text, as a catalog would hand it over. Besides crashes,
 * leaks and timeouts, two promises of normalize.h are asserted, because
 * comparing canonical forms is only sound with them: the result is never
 * NULL, and every canonical form (expression, default, type, identifier)
 * is a fixed point: normalizing it again changes nothing. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

typedef char *(*norm_fn)(enum cat_dialect, const char *);

static char *
ident(enum cat_dialect d, const char *s)
{
	(void)d;
	return norm_ident(s);
}

static void
must_be_fixed_point(norm_fn fn, enum cat_dialect d, const char *in,
    const char *out)
{
	char *again = fn(d, out);

	if (again == NULL || strcmp(again, out) != 0) {
		fprintf(stderr, "not a fixed point (%s):\n  in:    %s\n  out:   %s\n"
		    "  again: %s\n", d == CAT_PG ? "pg" : "sqlite", in, out,
		    again ? again : "(null)");
		abort();
	}
	free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const norm_fn fns[] = { norm_expr, norm_default, norm_type, ident };
	enum cat_dialect d;
	norm_fn fn;
	char *in, *out;

	if (size < 1)
		return 0;
	d = (data[0] & 1) ? CAT_SQLITE : CAT_PG;
	fn = fns[(data[0] >> 1) & 3];
	in = xstrndup((const char *)data + 1, size - 1);
	out = fn(d, in);
	if (out == NULL)
		abort();
	/* norm_type_* take canonical types: feed them what norm_type made. */
	if (fn == norm_type) {
		(void)norm_type_logical(d, out);
		(void)norm_type_pg_to_sqlite(out);
	}
	must_be_fixed_point(fn, d, in, out);
	free(out);
	free(in);
	return 0;
}
