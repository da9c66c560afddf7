#!/usr/bin/env bash
# bench/expr-corpus.sh — turn bench/expr/pg.src into expression pairs judged
# by a real PostgreSQL: what people write against what pg_get_expr() deparses.
#
#   PGHOST=... PGUSER=... bash bench/expr-corpus.sh > bench/expr/pg.cases
#
# For every line of pg.src, the written expression and its change are created
# (a CHECK on a scratch table, or a column DEFAULT) in a transaction that is
# rolled back, and pg_get_expr() read back. Output is normalize.cases' format
# (tests/unit/normalize.cases), so bench/expr_eval and the unit tests read it:
#   equal  pg F ;; written ;; deparsed(written)
#   differ pg F ;; written ;; deparsed(change)
#   differ pg F ;; change  ;; deparsed(written)
# and for a "same" line (two spellings of one meaning) every pairing of the
# two spellings and their deparsed forms as "equal".
# A line PostgreSQL rejects is reported on stderr and left out.
set -eu
src=${1:-$(dirname "$0")/expr/pg.src}
cols='a integer, b integer, x integer, n numeric, s text, name text,
      status text, v varchar(20), c char(3), ts timestamptz, tsn timestamp,
      d date, flag boolean, doc jsonb, arr integer[], tags text[],
      f double precision'

# deparse KIND TYPE EXPR: pg_get_expr() of EXPR, newlines as "\n"
deparse() {
	local sql
	if [ "$1" = check ]; then
		sql="CREATE TEMP TABLE t ($cols, CONSTRAINT k CHECK ($3));
		     SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint
		     WHERE conrelid = 't'::regclass AND conname = 'k';"
	else
		sql="CREATE TEMP TABLE t (col $2 DEFAULT $3);
		     SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef
		     WHERE adrelid = 't'::regclass;"
	fi
	printf 'BEGIN;\n%s\nROLLBACK;\n' "$sql" |
	    psql -X -q -At -v ON_ERROR_STOP=1 2>&1 | grep -v '^BEGIN$\|^ROLLBACK$' |
	    awk 'NR > 1 { printf "\\n" } { printf "%s", $0 } END { print "" }'
}

lineno=0
while IFS= read -r line; do
	lineno=$((lineno + 1))
	case $line in ''|'#'*) continue ;; esac
	kind=$(printf '%s' "$line" | awk -F ' ;; ' '{print $1}')
	type=$(printf '%s' "$line" | awk -F ' ;; ' '{print $2}')
	written=$(printf '%s' "$line" | awk -F ' ;; ' '{print $3}')
	change=$(printf '%s' "$line" | awk -F ' ;; ' '{print $4}')
	f=expr
	[ "$kind" = default ] && f=default
	if [ "$kind" = same ]; then
		kind=check
		[ "$type" != - ] && kind=default f=default
	fi
	if ! dw=$(deparse "$kind" "$type" "$written") || [ -z "$dw" ] ||
	    ! dc=$(deparse "$kind" "$type" "$change") || [ -z "$dc" ]; then
		echo "$src:$lineno: PostgreSQL rejects it: $dw ${dc:-}" >&2
		continue
	fi
	case "$dw$dc" in *ERROR:*)
		echo "$src:$lineno: PostgreSQL rejects it: $dw $dc" >&2
		continue ;;
	esac
	printf 'equal pg %s ;; %s ;; %s\n' "$f" "$written" "$dw"
	if printf '%s' "$line" | grep -q '^same '; then
		printf 'equal pg %s ;; %s ;; %s\n' "$f" "$written" "$change"
		printf 'equal pg %s ;; %s ;; %s\n' "$f" "$written" "$dc"
		printf 'equal pg %s ;; %s ;; %s\n' "$f" "$change" "$dw"
		printf 'equal pg %s ;; %s ;; %s\n' "$f" "$dw" "$dc"
		continue
	fi
	printf 'differ pg %s ;; %s ;; %s\n' "$f" "$written" "$dc"
	printf 'differ pg %s ;; %s ;; %s\n' "$f" "$change" "$dw"
done < "$src"
