#!/usr/bin/env bash
# The Debian package: build it with packaging/build-deb.sh, then check its
# contents (dpkg-deb -c), its conffiles and its maintainer scripts. With
# CI=true, as root, on a machine where schemawatchd is not installed yet, it
# also installs the package for real (dpkg -i: the dependencies are the
# build's own libraries, already present), checks the installed system, and
# purges it again, checking that everything is gone.
#
#   bash tests/e2e/deb.sh [OUTDIR]     (from anywhere; not part of make check:
#                                       the build takes a while)
# Prints TAP lines and, last, "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${SW_SRCDIR:=$top}" "${SW_BUILDDIR:=$top}"
SW_TEST_TMP=$(mktemp -d /tmp/swdeb.XXXXXX)
export SW_SRCDIR SW_BUILDDIR SW_TEST_TMP
. "$SW_SRCDIR/tests/lib/common.sh"
trap 'rm -rf "$SW_TEST_TMP"' EXIT

finish() {
	echo "$((T_N - T_FAILED)) passed, $T_FAILED failed"
	done_testing
}

out=${1:-$SW_TEST_TMP/out}
mkdir -p "$out"
if ! bash "$SW_SRCDIR/packaging/build-deb.sh" "$out" >"$SW_TEST_TMP/build.out" 2>&1; then
	t_result 0 "packaging/build-deb.sh builds the package" "$(tail -n 40 "$SW_TEST_TMP/build.out")"
	finish
fi
deb=$(ls "$out"/schemawatchd_*.deb 2>/dev/null | head -n 1)
ok "packaging/build-deb.sh builds the package ($(basename "$deb"))" test -f "$deb"
[ -f "$deb" ] || finish

# ---- contents ------------------------------------------------------------------
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for f in /usr/sbin/schemawatchd /usr/bin/schemawatchctl \
	/usr/share/schemawatchd/definitions/prompter/v7-upgrade.postgresql.sql \
	/usr/share/schemawatchd/definitions/prompter/v7-downgrade.postgresql.sql \
	/usr/share/schemawatchd/definitions/prompter/v7-upgrade.sqlite.sql \
	/usr/share/schemawatchd/definitions/prompter/v7-downgrade.sqlite.sql \
	/usr/share/schemawatchd/definitions/prompter/definition.yaml \
	/usr/share/schemawatchd/definitions/prompter/compiled/prompter_v7.postgresql.json \
	/usr/share/schemawatchd/definitions/prompter/compiled/prompter_v7.sqlite.json \
	/etc/schemawatchd/schemawatchd.yaml \
	/lib/systemd/system/schemawatchd.service /lib/systemd/system/schemawatchd.socket \
	/usr/lib/sysusers.d/schemawatchd.conf /usr/lib/tmpfiles.d/schemawatchd.conf \
	/usr/lib/systemd/catalog/schemawatchd.catalog \
	/usr/share/man/man8/schemawatchd.8.gz /usr/share/man/man1/schemawatchctl.1.gz \
	/usr/share/man/man5/schemawatchd.yaml.5.gz \
	/usr/share/doc/schemawatchd/copyright; do
	ok "package has $f" grep -qxF "$f" <<<"$contents"
done
unlike "$contents" "/usr/local|/tmp/|/build/" "nothing under /usr/local or a build path"

x="$SW_TEST_TMP/x"
mkdir -p "$x/data" "$x/control"
dpkg-deb -x "$deb" "$x/data"
dpkg-deb -e "$deb" "$x/control"
is "$(sed -n 's/^ExecStart=//p' "$x/data/lib/systemd/system/schemawatchd.service")" \
	"/usr/sbin/schemawatchd -c /etc/schemawatchd/schemawatchd.yaml" "the unit starts /usr/sbin/schemawatchd"
is "$(sed -n 's/^ExecReload=//p' "$x/data/lib/systemd/system/schemawatchd.service")" \
	"/usr/bin/schemawatchctl reload" "the unit reloads with /usr/bin/schemawatchctl reload"
ok "the packaged schemawatchctl runs" eval '"$x/data/usr/bin/schemawatchctl" --help >/dev/null'
# Not installed yet: the shipped definition is read from the extracted tree.
ok "the packaged configuration is valid" eval \
	'SCHEMAWATCHD_DEFINITION="$x/data/usr/share/schemawatchd/definitions/prompter" \
	"$x/data/usr/sbin/schemawatchd" --check-config -c "$x/data/etc/schemawatchd/schemawatchd.yaml" >/dev/null'

# ---- control: conffiles, dependencies, maintainer scripts ------------------------
ok "/etc/schemawatchd/schemawatchd.yaml is a conffile" \
	grep -qx /etc/schemawatchd/schemawatchd.yaml "$x/control/conffiles"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libpq5 libsqlite3-0 libevent-2.1-7 libyaml-0-2 libjansson4 libsystemd0; do
	like "$depends" "(^|, )$lib( |,|$)" "Depends on $lib"
done
like "$depends" "systemd" "Depends on a systemd-sysusers provider"
post=$(cat "$x/control/postinst" 2>/dev/null)
ok "postinst creates the user and group (sysusers)" \
	grep -Eq '^[[:space:]]*systemd-sysusers .*schemawatchd\.conf' "$x/control/postinst"
ok "postinst creates /run/schemawatchd (tmpfiles)" \
	grep -Eq '^[[:space:]]*systemd-tmpfiles .*--create schemawatchd\.conf' "$x/control/postinst"
like "$post" "deb-systemd-helper enable 'schemawatchd\.service'" "postinst enables the service"
like "$post" "deb-systemd-helper enable 'schemawatchd\.socket'" "postinst enables the socket"
# sysusers must come before tmpfiles (the owner) and both before starting units.
order=$(grep -nE 'systemd-sysusers|systemd-tmpfiles|deb-systemd-invoke' "$x/control/postinst" |
	sed -E 's/.*(systemd-sysusers|systemd-tmpfiles|deb-systemd-invoke).*/\1/' | uniq | tr '\n' ' ')
is "$order" "systemd-sysusers systemd-tmpfiles deb-systemd-invoke " "postinst: users, then tmpfiles, then units"
like "$(cat "$x/control/prerm" 2>/dev/null)" "deb-systemd-invoke stop 'schemawatchd\.service'" "prerm stops the units"
postrm=$(cat "$x/control/postrm" 2>/dev/null)
like "$postrm" "rm -rf /var/lib/schemawatchd" "postrm purge removes the state directory"
like "$postrm" "deb-systemd-helper purge 'schemawatchd\.service'" "postrm purge forgets the unit state"
for s in postinst prerm postrm; do
	ok "$s is valid sh" sh -n "$x/control/$s"
done

# ---- install, check, purge (CI only: it changes this machine) ------------------------
if [ "${CI:-}" != true ] || [ "$(id -u)" != 0 ]; then
	diag "not CI=true as root: install/purge skipped"
	finish
fi
if dpkg-query -W -f='${Status}' schemawatchd 2>/dev/null | grep -q 'ok installed'; then
	diag "schemawatchd is already installed on this machine: install/purge skipped"
	finish
fi
ok "dpkg -i installs the package" eval 'dpkg -i "$deb" >"$SW_TEST_TMP/dpkg-i.log" 2>&1 || { cat "$SW_TEST_TMP/dpkg-i.log"; false; }'
for f in /usr/sbin/schemawatchd /usr/bin/schemawatchctl /etc/schemawatchd/schemawatchd.yaml \
	/lib/systemd/system/schemawatchd.service /usr/share/schemawatchd/definitions/prompter/v7-upgrade.sqlite.sql; do
	ok "installed: $f" test -e "$f"
done
ok "user schemawatchd exists" eval "getent passwd schemawatchd >/dev/null"
ok "group schemawatchd-ops exists" eval "getent group schemawatchd-ops >/dev/null"
is "$(stat -c '%a %U %G' /run/schemawatchd 2>&1)" "2750 schemawatchd schemawatchd-ops" \
	"/run/schemawatchd made by tmpfiles"
ok "the service is enabled" test -L /etc/systemd/system/multi-user.target.wants/schemawatchd.service
ok "the socket is enabled" test -L /etc/systemd/system/sockets.target.wants/schemawatchd.socket
ok "schemawatchctl --help runs" eval 'schemawatchctl --help >/dev/null'
ok "schemawatchd --check-config accepts the installed file" eval 'schemawatchd --check-config >/dev/null'
# dpkg -L, not man -w: minimal images may exclude /usr/share/man (path-exclude).
ok "dpkg registers the man pages" eval 'dpkg -L schemawatchd | grep -q "^/usr/share/man/man8/schemawatchd\.8\.gz$"'
ok "dpkg --purge removes the package" eval 'dpkg --purge schemawatchd >"$SW_TEST_TMP/dpkg-p.log" 2>&1 || { cat "$SW_TEST_TMP/dpkg-p.log"; false; }'
for f in /usr/sbin/schemawatchd /usr/bin/schemawatchctl /etc/schemawatchd \
	/lib/systemd/system/schemawatchd.service /usr/share/schemawatchd \
	/usr/share/man/man8/schemawatchd.8.gz /var/lib/schemawatchd /run/schemawatchd \
	/etc/systemd/system/multi-user.target.wants/schemawatchd.service \
	/etc/systemd/system/sockets.target.wants/schemawatchd.socket; do
	not_ok "purged: $f is gone" test -e "$f"
done
finish
