#!/usr/bin/env bash
# tests/deb-check.sh — what .ci/run calls: the Debian package check
# (tests/e2e/deb.sh: build, contents, maintainer scripts; with CI=true as
# root also install and purge).
exec bash "$(dirname "$0")/e2e/deb.sh" "$@"
