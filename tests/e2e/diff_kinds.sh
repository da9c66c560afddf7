#!/usr/bin/env bash
# The difference kinds, documented exactly: the kinds the code can report
# (every DIFF_* that daemon/*.c passes on, resolved through the X() table of
# daemon/compare.h) are the kinds compare.h declares, and the lists of
# schemawatchd(8) (section DIFFERENCES, one ".TP" / ".B kind" entry each) and
# of the README ("| `kind` |" rows) hold exactly those, no more and no fewer.
# A kind added to the code without its documented meaning fails here, and so
# does a documented kind that nothing reports any more.
. "$SW_SRCDIR/tests/lib/common.sh"

D="$SW_SRCDIR/daemon"
MAN="$SW_SRCDIR/man/schemawatchd.8.in"
README="$SW_SRCDIR/README.md"

# declared: "IDENT name" per X(IDENT, "name") line of compare.h's DIFF_KINDS,
# and three per object kind: each X(a, IDENT, "name") row of catobj_kinds.h
# is MISSING_IDENT, EXTRA_IDENT and IDENT_CHANGED (compare.h's
# DIFF_OBJECT_KIND), which compare.h's DIFF_KINDS expands.
declared=$(sed -n 's/^[[:space:]]*X(\([A-Z_]*\),[[:space:]]*"\([a-z_]*\)").*/\1 \2/p' "$D/compare.h")
objects=$(sed -n 's/^[[:space:]]*X(a,[[:space:]]*\([A-Z_]*\),[[:space:]]*"\([a-z_]*\)").*/\1 \2/p' \
	"$D/catobj_kinds.h")
object_kinds=$(awk '{ print "MISSING_" $1, "missing_" $2; print "EXTRA_" $1, "extra_" $2
	print $1 "_CHANGED", $2 "_changed" }' <<<"$objects")
grep -q 'CAT_OBJECT_KINDS(DIFF_OBJECT_KIND, X)' "$D/compare.h" &&
	declared=$(printf '%s\n%s\n' "$declared" "$object_kinds")
names() { awk '{print $2}' <<<"$1" | sort -u; }

# emitted: the kind names of every DIFF_IDENT used in daemon/*.c (the enum's
# own machinery — DIFF_KINDS, DIFF__COUNT, DIFF_ENUM, DIFF_NAME — and the
# pasted halves DIFF_MISSING_##ident aside), and every object kind's three:
# compare_obj.c reports them through its table made from catobj_kinds.h.
emitted_idents=$(grep -ohE '\bDIFF_[A-Z][A-Z_]*\b' "$D"/*.c | sed 's/^DIFF_//' |
	grep -vxE 'KINDS|ENUM|NAME|[A-Z_]*_' | sort -u)
if grep -q 'CAT_OBJECT_KINDS(KIND_DIFFS' "$D/compare_obj.c"; then
	emitted_idents=$(printf '%s\n%s\n' "$emitted_idents" "$(awk '{print $1}' <<<"$object_kinds")" |
		sort -u)
fi
emitted=""
undeclared=""
for id in $emitted_idents; do
	n=$(awk -v id="$id" '$1 == id {print $2}' <<<"$declared")
	if [ -z "$n" ]; then undeclared="$undeclared DIFF_$id"; else emitted="$emitted $n"; fi
done
emitted=$(tr ' ' '\n' <<<"$emitted" | sed '/^$/d' | sort -u)

# documented in schemawatchd(8): the ".B kind" line after each ".TP" between
# ".SH DIFFERENCES" and the next section.
man_kinds() {
	awk '/^\.SH / { in_d = ($2 == "DIFFERENCES") } in_d && prev ~ /^\.TP/ && /^\.B [a-z_]+$/ { print $2 }
	     { prev = $0 }' "$1" | sort -u
}
# documented in the README: the first cell of each row of the table headed
# "| kind | meaning |", one or two kinds ("`missing_unique` / `extra_unique`").
readme_kinds() {
	awk '/^\| kind \| meaning \|$/ { in_t = 1; next } in_t && !/^\|/ { in_t = 0 }
	     in_t && !/^\|---/ { print }' "$1" | cut -d'|' -f2 | grep -oE '[a-z_]+' | sort -u
}

# same_set WHAT GOT WANT — one check naming what is missing and what is extra.
same_set() {
	local missing extra
	missing=$(comm -13 <(echo "$2") <(echo "$3") | tr '\n' ' ')
	extra=$(comm -23 <(echo "$2") <(echo "$3") | tr '\n' ' ')
	is "missing: ${missing% }; extra: ${extra% }" "missing: ; extra: " "$1"
}

ok "compare.h declares at least 30 kinds" test "$(names "$declared" | wc -l)" -ge 30
ok "catobj_kinds.h lists at least 13 object kinds" test "$(wc -l <<<"$objects")" -ge 13
is "$undeclared" "" "every DIFF_* the code uses is a kind of compare.h"
same_set "every declared kind is reported by some code (none is dead)" "$emitted" "$(names "$declared")"
same_set "schemawatchd(8) lists exactly the kinds the code reports" "$(man_kinds "$MAN")" "$emitted"
same_set "README lists exactly the kinds the code reports" "$(readme_kinds "$README")" "$emitted"

# The checks must be able to fail: a kind emitted but not documented, and a
# documented kind no code reports, are both caught.
fake="$SW_TEST_TMP/fake.8"
sed 's/^\.B index_renamed$/.B index_renamed_not/' "$MAN" >"$fake"
out=$(same_set "x" "$(man_kinds "$fake")" "$emitted")
like "$out" "^not ok .*missing: index_renamed; extra: index_renamed_not" \
	"a page that lacks a kind (and has an unknown one) fails the check"
out=$(same_set "x" "$(readme_kinds "$README")" "$(printf '%s\nsome_new_kind\n' "$emitted" | sort -u)")
like "$out" "^not ok .*missing: some_new_kind;" "a kind the code reports but the README lacks fails"
ok "man_kinds finds the kinds of the page (not an empty list)" test "$(man_kinds "$MAN" | wc -l)" -ge 30

done_testing
