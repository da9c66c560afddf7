/* catobj_kinds.h — the one list of the object kinds of catobj.c.
 *
 * Three tables were kept in step by hand: catobj.c's cat_object_kinds[]
 * (the kinds, in report order), compare.h's DIFF_KINDS (missing_K, extra_K
 * and K_changed of every kind) and compare_obj.c's table from a kind to its
 * three differences. All three are now made from this list.
 *
 * One row per kind, in the order differences are reported: types before
 * what uses them, tables' own members (exclusion, trigger, policy) last,
 * comments at the very end. X(a, IDENT, "name"): IDENT spells the
 * differences DIFF_MISSING_IDENT, DIFF_EXTRA_IDENT and DIFF_IDENT_CHANGED
 * (compare.h), "name" is the kind as catalogs, compiled files and reports
 * spell it; `a` is the caller's own argument, passed through (compare.h
 * passes its X to make three differences of each row). Names are stable:
 * a kind is added at its place in the order, never renamed. */
#ifndef SW_CATOBJ_KINDS_H
#define SW_CATOBJ_KINDS_H

#define CAT_OBJECT_KINDS(X, a)						\
	X(a, EXTENSION,		"extension")				\
	X(a, ENUM,		"enum")					\
	X(a, DOMAIN,		"domain")				\
	X(a, COMPOSITE_TYPE,	"composite_type")			\
	X(a, SEQUENCE,		"sequence")				\
	X(a, FUNCTION,		"function")				\
	X(a, PROCEDURE,		"procedure")				\
	X(a, VIEW,		"view")					\
	X(a, MATERIALIZED_VIEW,	"materialized_view")			\
	X(a, EXCLUSION,		"exclusion")				\
	X(a, TRIGGER,		"trigger")				\
	X(a, POLICY,		"policy")				\
	X(a, COMMENT,		"comment")

#endif
