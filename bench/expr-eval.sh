#!/usr/bin/env bash
# bench/expr-eval.sh — normalize.c against libpg_query on the expression
# corpus (see bench/expr_eval.c and README.md, "Expression comparison").
#
#   BUILD_DIR=build bash bench/expr-eval.sh [-v]
#
# Needs a built libsw.a in BUILD_DIR and libpg-query-dev. The corpus: the
# unit cases of normalize (tests/unit/normalize.cases), the pairs a real
# PostgreSQL made (bench/expr/pg.cases, from bench/expr-corpus.sh) and, for
# parse rates only, the fuzz corpus of normalize (tests/fuzz/corpus/normalize).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$src/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -std=gnu11 -O2 -Wall -Wextra -I"$build" -I"$src/daemon" \
    $(pkg-config --cflags jansson) -o "$tmp/expr_eval" "$src/bench/expr_eval.c" \
    "$build/libsw.a" -lpg_query $(pkg-config --libs jansson libevent libsystemd) -pthread
# fuzz inputs: byte 0 picks dialect (bit 0) and function (bits 1-2: expr,
# default); printable ones only, newlines as "\n"
python3 - "$src"/tests/fuzz/corpus/normalize/* > "$tmp/fuzz.cases" <<'PY'
import sys
for path in sys.argv[1:]:
    b = open(path, 'rb').read()
    fn = (b[0] >> 1) & 3 if b else 9
    try:
        t = b[1:].decode('ascii')
    except UnicodeDecodeError:
        continue
    if fn > 1 or not t or ' ;; ' in t or '\\n' in t or \
       any((ord(c) < 32 and c != '\n') or ord(c) > 126 for c in t):
        continue
    print('parse %s %s ;; %s ;; ' % ('sqlite' if b[0] & 1 else 'pg',
          ['expr', 'default'][fn], t.replace('\n', '\\n')))
PY
"$tmp/expr_eval" "$@" "$src/tests/unit/normalize.cases" "$src/bench/expr/pg.cases" "$tmp/fuzz.cases"
