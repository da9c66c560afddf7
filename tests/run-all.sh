#!/usr/bin/env bash
# tests/run-all.sh — from a fresh checkout: install dependencies (as root),
# build out of tree in ./build, and run every test (`make check`).
# BUILD_DIR, CFLAGS, LDFLAGS and CONFIGURE_FLAGS (e.g. --without-systemd) may
# be set to build elsewhere or differently (CI uses this for the sanitizer
# build); SKIP_DEPS=1 skips the apt step; SW_ONLY=REGEX runs some tests only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "$(id -u)" = 0 ] && [ "${SKIP_DEPS:-}" != 1 ]; then
	bash packaging/install-deps.sh
fi
[ -x configure ] || autoreconf -fi >/dev/null 2>&1
build=${BUILD_DIR:-$top/build}
mkdir -p "$build"
cd "$build"
# shellcheck disable=SC2086  # CONFIGURE_FLAGS holds separate options
[ -f Makefile ] || "$top/configure" -q ${CONFIGURE_FLAGS:-}
# -Wall -Wextra clean is a requirement: a compiler warning anywhere (the
# programs, or the test programs `make check` builds) fails the run.
warned() { grep -E '\.[ch]:[0-9]+:[0-9]+: warning:' "$@"; }
make -j"$(nproc)" >build.log 2>&1 || { cat build.log; exit 1; }
rc=0
make check 2>&1 | tee check.log || rc=1
if warned build.log check.log; then
	echo "run-all: compiler warnings (above)" >&2
	exit 1
fi
exit "$rc"
