#!/usr/bin/env bash
# tests/check-layers.sh DIR LAYERS — check the include structure of DIR
# (daemon/) against the layer list LAYERS (tests/layers.txt).
#
# Prints one line per problem and exits 1 when there is any:
#   nolayer: daemon/foo.c is in no layer: add it to tests/layers.txt
#   ambiguous: daemon/foo.c matches layers a (pat) and b (pat)
#   upward: daemon/x.c includes y.h: x (service) may not include y (root), a layer above
#   cycle: a -> b -> a (modules of the cycle: a b)
#   long: daemon/x.c has 1234 lines, more than 1000
# With --map first, prints "FILE LAYER-NUMBER LAYER-NAME MODULE" per file
# instead.
#
# A module is a file name without .c/.h (x.c and x.h are one module), or a
# set of files that LAYERS names as one (NAME=GLOB,GLOB: a module split into
# parts behind a private header); an edge goes from the including file's
# module to the included header's. Only "quoted" includes of headers that
# exist in DIR count (not config.h, not libraries).
set -u

map=0
if [ "${1:-}" = --map ]; then
	map=1
	shift
fi
if [ $# -ne 2 ] || [ ! -d "$1" ] || [ ! -r "$2" ]; then
	echo "usage: $0 [--map] DIR LAYERS" >&2
	exit 2
fi
dir=$1
layers=$2
shown=$(basename "$dir")
max_lines=1000

# ---- the layer list ---------------------------------------------------------
lname=()	# layer number (1-based) -> name
lpats=()	# layer number -> its patterns
n=0
while IFS= read -r line || [ -n "$line" ]; do
	line=${line%%#*}
	[[ $line =~ ^[[:space:]]*$ ]] && continue
	if ! [[ $line =~ ^[[:space:]]*([A-Za-z0-9_-]+):(.*)$ ]]; then
		echo "$layers: cannot read line: $line" >&2
		exit 2
	fi
	n=$((n + 1))
	lname[n]=${BASH_REMATCH[1]}
	lpats[n]=${BASH_REMATCH[2]}
done <"$layers"

problems=()
declare -A layer_of	# module -> layer number
declare -A module_of	# file name without .c/.h -> its module

# The layer and module of a file: exactly one layer may claim it. A word of
# a layer is a glob (each file it matches is a module of its own) or
# NAME=GLOB,GLOB... (every file they match is part of one module NAME).
place() {
	local stem=$1 file=$2 i word name globs glob found=0 where="" mod=""
	for ((i = 1; i <= n; i++)); do
		set -f	# the patterns are globs for [[ ]], not for the shell
		for word in ${lpats[i]}; do
			if [[ $word == *=* ]]; then
				name=${word%%=*}
				globs=${word#*=}
			else
				name=""
				globs=$word
			fi
			for glob in ${globs//,/ }; do
				# shellcheck disable=SC2053 # unquoted on purpose: a glob
				[[ $stem == $glob ]] || continue
				if [ "$found" -ne 0 ] && { [ "$found" -ne "$i" ] ||
				    [ "$mod" != "${name:-$stem}" ]; }; then
					set +f
					problems+=("ambiguous: $shown/$file matches layers $where and ${lname[i]} ($word)")
					return
				fi
				found=$i
				mod=${name:-$stem}
				where="${lname[i]} ($word)"
			done
		done
		set +f
	done
	if [ "$found" -eq 0 ]; then
		problems+=("nolayer: $shown/$file is in no layer: add it to tests/layers.txt")
		return
	fi
	module_of[$stem]=$mod
	layer_of[$mod]=$found
}

files=()
for f in "$dir"/*.c "$dir"/*.h; do
	[ -e "$f" ] && files+=("$(basename "$f")")
done

for f in "${files[@]}"; do
	place "${f%.[ch]}" "$f"
done

if [ "$map" -eq 1 ]; then
	for f in "${files[@]}"; do
		m=${module_of[${f%.[ch]}]:-}
		[ -n "$m" ] && echo "$shown/$f ${layer_of[$m]} ${lname[${layer_of[$m]}]} $m"
	done
	exit 0
fi

# ---- includes: upward ones, and the edges for the cycle search --------------
edges=""
for f in "${files[@]}"; do
	from=${module_of[${f%.[ch]}]:-${f%.[ch]}}
	while IFS= read -r inc; do
		[ -e "$dir/$inc" ] || continue
		to=${module_of[${inc%.h}]:-${inc%.h}}
		[ "$to" = "$from" ] && continue	# within a module
		edges+="$from $to"$'\n'
		lf=${layer_of[$from]:-}
		lt=${layer_of[$to]:-}
		if [ -z "$lf" ] || [ -z "$lt" ]; then
			continue	# reported as nolayer
		fi
		if [ "$lt" -gt "$lf" ]; then
			problems+=("upward: $shown/$f includes $inc: $from (${lname[lf]}) may not include $to (${lname[lt]}), a layer above")
		fi
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$dir/$f")
done

# ---- cycles: strongly connected sets of modules, one cycle shown each -------
# Reachability by a search from every module (tens of modules: cheap), then
# each set of mutually reachable modules is one problem, shown with one of
# its cycles found by a breadth-first search back to its first module.
while IFS= read -r line; do
	[ -n "$line" ] && problems+=("cycle: $line")
done < <(printf '%s' "$edges" | sort -u | awk '
	{ out[$1] = out[$1] " " $2; node[$1] = 1; node[$2] = 1 }
	END {
		nn = 0
		for (v in node) names[++nn] = v
		# sort the names, so that the output does not depend on awk
		for (i = 2; i <= nn; i++) {
			v = names[i]
			for (j = i - 1; j >= 1 && names[j] > v; j--) names[j + 1] = names[j]
			names[j + 1] = v
		}
		for (i = 1; i <= nn; i++) {
			s = names[i]
			head = 1; tail = 0; queue[++tail] = s
			while (head <= tail) {
				v = queue[head++]
				k = split(out[v], next_, " ")
				for (j = 1; j <= k; j++)
					if (!((s, next_[j]) in reach)) {
						reach[s, next_[j]] = 1
						queue[++tail] = next_[j]
					}
			}
		}
		for (i = 1; i <= nn; i++) {
			s = names[i]
			if (s in done || !((s, s) in reach)) continue
			members = s
			for (j = i + 1; j <= nn; j++) {
				t = names[j]
				if ((s, t) in reach && (t, s) in reach) {
					members = members " " t
					done[t] = 1
				}
			}
			done[s] = 1
			# shortest way from s back to s
			delete parent
			head = 1; tail = 0; queue[++tail] = s; found = 0
			while (head <= tail && !found) {
				v = queue[head++]
				k = split(out[v], next_, " ")
				for (j = 1; j <= k; j++) {
					t = next_[j]
					if (t == s) { parent[s] = v; found = 1; break }
					if (!(t in parent) && (t, s) in reach) {
						parent[t] = v
						queue[++tail] = t
					}
				}
			}
			path = s
			for (v = parent[s]; v != s; v = parent[v]) path = v " -> " path
			print s " -> " path " (modules of the cycle: " members ")"
		}
	}')

# ---- size -------------------------------------------------------------------
for f in "${files[@]}"; do
	lines=$(wc -l <"$dir/$f")
	if [ "$lines" -gt "$max_lines" ]; then
		problems+=("long: $shown/$f has $lines lines, more than $max_lines")
	fi
done

[ ${#problems[@]} -eq 0 ] && exit 0
printf '%s\n' "${problems[@]}"
exit 1
