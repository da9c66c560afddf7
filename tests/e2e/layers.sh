#!/usr/bin/env bash
# The house rules of daemon/ (issue 11): every file in a layer of
# tests/layers.txt, no include of a header of a layer above, no two modules
# including each other (no cycle, also through others), no file over 1,000
# lines. tests/check-layers.sh does the checking; this test runs it on the
# tree, then shows that it can fail: on small made-up trees with one
# violation of each kind, and on a copy of daemon/ with an upward include
# injected.
. "$SW_SRCDIR/tests/lib/common.sh"

check="$SW_SRCDIR/tests/check-layers.sh"
layers="$SW_SRCDIR/tests/layers.txt"

# problems OUTPUT CLASS — the lines of one class, without the class.
problems() { printf '%s\n' "$1" | sed -n "s/^$2: //p"; }

# rule OUTPUT CLASS DESCRIPTION — one check: no problem of that class.
rule() {
	local lines
	lines=$(problems "$1" "$2")
	if [ -z "$lines" ]; then
		t_result 1 "$3"
	else
		local -a diag
		mapfile -t diag <<<"$lines"
		t_result 0 "$3" "${diag[@]}"
	fi
}

# ---- the tree ------------------------------------------------------------------
out=$(bash "$check" "$SW_SRCDIR/daemon" "$layers" 2>&1)
rc=$?
rule "$out" nolayer "every file of daemon/ is in a layer of tests/layers.txt"
rule "$out" ambiguous "every file of daemon/ is in one layer only"
rule "$out" upward "no file of daemon/ includes a header of a layer above its own"
rule "$out" cycle "no two modules of daemon/ include each other, directly or through others"
rule "$out" long "no file of daemon/ is over 1,000 lines"
unexplained=$(printf '%s\n' "$out" | grep -Ev '^(nolayer|ambiguous|upward|cycle|long): ' | grep -v '^$')
is "$rc:$unexplained" "$([ -z "$out" ] && echo 0 || echo 1):" \
	"the checker ran and said nothing but problems of the known kinds"

# ---- the checker can fail: made-up trees ------------------------------------------
# low: a, a_part; mid: m, m2 and g (one module in parts: g.c and g_part.c
# behind g_int.h, which includes g.h); high: z. Calls go down: z -> m -> a.
syn="$SW_TEST_TMP/syn"
mk_tree() {
	rm -rf "$syn"
	mkdir -p "$syn/d"
	printf 'low: a a_*\n# a comment\n\nmid: m m2 g=g,g_*\nhigh: z\n' >"$syn/layers.txt"
	printf '#include "g_int.h"\n' >"$syn/d/g.c"
	printf '#include "g_int.h"\n#include "a.h"\n' >"$syn/d/g_part.c"
	printf '#include "g.h"\n' >"$syn/d/g_int.h"
	printf '/* g */\n' >"$syn/d/g.h"
	printf '#include "a.h"\n' >"$syn/d/a.c"
	printf '/* a */\n' >"$syn/d/a.h"
	printf '#include "config.h"\n#include "a.h"\n#include <stdio.h>\n' >"$syn/d/a_part.c"
	printf '#include "a.h"\n#include "m.h"\n' >"$syn/d/m.c"
	printf '#include "a.h"\n' >"$syn/d/m.h"
	printf '#include "m.h"\n' >"$syn/d/m2.c"
	printf '/* m2 */\n' >"$syn/d/m2.h"
	printf '#include "m.h"\n#include "z.h"\n' >"$syn/d/z.c"
	printf '/* z */\n' >"$syn/d/z.h"
}
run_syn() { bash "$check" "$syn/d" "$syn/layers.txt" 2>&1; }

mk_tree
out=$(run_syn)
is "$?:$out" "0:" "a tree whose includes go down passes (and config.h, <stdio.h> are ignored)"

is "$(bash "$check" --map "$syn/d" "$syn/layers.txt" | grep -c ' 2 mid g$')" 4 \
	"NAME=GLOB,GLOB makes the files matched one module"
sed -i 's/g=g,g_\*/g g_*/' "$syn/layers.txt"
out=$(run_syn)
is "$?:$(problems "$out" cycle)" "1:g -> g_int -> g (modules of the cycle: g g_int)" \
	"...without it, a part's private header including the public one is a cycle"

mk_tree
echo '#include "z.h"' >>"$syn/d/a_part.c"
out=$(run_syn)
rc=$?
is "$rc" 1 "an upward include fails the check"
is "$(problems "$out" upward)" \
	"d/a_part.c includes z.h: a_part (low) may not include z (high), a layer above" \
	"an upward include is reported with the file, the header and both layers"

mk_tree
echo '#include "z.h"' >>"$syn/d/a.h"
out=$(run_syn)
is "$(problems "$out" cycle)" "a -> z -> m -> a (modules of the cycle: a m z)" \
	"a cycle through three modules is reported with its path"

mk_tree
echo '#include "m2.h"' >>"$syn/d/m.c"
out=$(run_syn)
rc=$?
is "$rc:$(problems "$out" upward)" "1:" "two modules of one layer including each other: not upward..."
is "$(problems "$out" cycle)" "m -> m2 -> m (modules of the cycle: m m2)" \
	"...but a cycle, reported"

mk_tree
printf '/* new */\n' >"$syn/d/newmod.c"
out=$(run_syn)
is "$?:$(problems "$out" nolayer)" \
	"1:d/newmod.c is in no layer: add it to tests/layers.txt" \
	"a file in no layer fails, with how to fix it"

mk_tree
printf 'high2: a_*\n' >>"$syn/layers.txt"
out=$(run_syn)
is "$?:$(problems "$out" ambiguous)" \
	"1:d/a_part.c matches layers low (a_*) and high2 (a_*)" \
	"a file that two layers claim fails"

mk_tree
seq 1001 | sed 's|^|// |' >"$syn/d/m2.c"
out=$(run_syn)
is "$?:$(problems "$out" long)" "1:d/m2.c has 1001 lines, more than 1000" \
	"a file of 1,001 lines fails"
seq 1000 | sed 's|^|// |' >"$syn/d/m2.c"
out=$(run_syn)
is "$?:$out" "0:" "a file of 1,000 lines passes"

# ---- the checker can fail: a copy of daemon/ with an upward include -------------
# The lowest layer's first file includes a header of the highest layer that
# has one; whatever else the copy reports, that include must be among it.
copy="$SW_TEST_TMP/copy/daemon"
mkdir -p "$copy"
cp "$SW_SRCDIR"/daemon/*.[ch] "$copy/"
map=$(bash "$check" --map "$copy" "$layers")
low=$(printf '%s\n' "$map" | awk '$2 == 1 { print $1; exit }')
top=$(printf '%s\n' "$map" | awk '$1 ~ /\.h$/ && $2 > 1 { print $2, $1 }' | sort -n | tail -n 1)
top_layer=${top%% *}
top_h=$(basename "${top#* }")
if [ -z "$low" ] || [ -z "$top_h" ]; then
	t_result 0 "daemon/ has a file in the lowest layer and a header above it" "map: $map"
else
	echo "#include \"$top_h\"" >>"$SW_TEST_TMP/copy/$low"
	out=$(bash "$check" "$copy" "$layers" 2>&1)
	like "$(problems "$out" upward)" "(^|
)${low//./\\.} includes ${top_h//./\\.}: .*a layer above" \
		"an include of $top_h (layer $top_layer) injected into $low is reported"
fi

done_testing
