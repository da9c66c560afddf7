#!/usr/bin/env bash
# The systemd packaging: the units pass `systemd-analyze verify` (in a
# throwaway root holding the programs at their ExecStart= paths, since systemd
# is not PID 1 here), the service's `systemd-analyze security --offline=yes`
# exposure is at most 2.0, the settings the product relies on are there,
# sysusers.d + tmpfiles.d create the user, the ops group and /run/schemawatchd
# (in the throwaway root, as root only), and the journal catalog compiles with
# every MESSAGE_ID of daemon/log.c.
# systemd-analyze missing is a failure, not a skip: Debian package "systemd".
. "$SW_SRCDIR/tests/lib/common.sh"

P="$SW_SRCDIR/packaging"
unit="$SW_BUILDDIR/packaging/schemawatchd.service"	# made from the .in by make
sock="$P/schemawatchd.socket"

if ! command -v systemd-analyze >/dev/null; then
	t_result 0 "systemd-analyze is installed" \
		"systemd-analyze not found: install the Debian package \"systemd\""
	done_testing
fi
ok "the service unit was generated" test -s "$unit"
unlike "$(cat "$unit")" "@[a-z]+@" "no @variable@ left in the generated unit"

# unit_value FILE KEY — the last value of KEY= in FILE.
unit_value() { sed -n "s/^$2=//p" "$1" | tail -n 1; }

# ---- the settings the daemon and the product rely on -------------------------
is "$(unit_value "$unit" Type)" notify "Type=notify"
is "$(unit_value "$unit" NotifyAccess)" main "NotifyAccess=main"
is "$(unit_value "$unit" WatchdogSec)" 30s "WatchdogSec=30s"
is "$(unit_value "$unit" Restart)" on-failure "Restart=on-failure"
is "$(unit_value "$unit" User)" schemawatchd "User=schemawatchd"
is "$(unit_value "$unit" StateDirectory)" schemawatchd "StateDirectory=schemawatchd"
is "$(unit_value "$unit" ConfigurationDirectory)" schemawatchd "ConfigurationDirectory=schemawatchd"
like "$(unit_value "$unit" ExecReload)" "/schemawatchctl reload$" "ExecReload is the synchronous schemawatchctl reload"
like "$(unit_value "$unit" ExecStart)" "/schemawatchd -c .*/schemawatchd/schemawatchd.yaml$" "ExecStart names the configuration"
not_ok "no DynamicUser= (SocketGroup), PrivateUsers= (SO_PEERCRED) or RuntimeDirectory= (socket dir)" \
	grep -Eq '^(DynamicUser|PrivateUsers|RuntimeDirectory)=' "$unit"
is "$(unit_value "$sock" ListenStream)" /run/schemawatchd/schemawatchd.sock "socket path"
is "$(unit_value "$sock" SocketMode)" 0660 "SocketMode=0660"
is "$(unit_value "$sock" SocketUser)/$(unit_value "$sock" SocketGroup)" \
	schemawatchd/schemawatchd-ops "socket owned by schemawatchd:schemawatchd-ops"
is "$(unit_value "$sock" FileDescriptorName)" control "FileDescriptorName=control (control.c looks for it)"
is "$(unit_value "$sock" Service)" schemawatchd.service "Service=schemawatchd.service"

# ---- systemd-analyze verify in a throwaway root --------------------------------
# verify wants the standard units and the ExecStart=/ExecReload= programs to
# exist; --root makes it look for both there instead of on this machine.
R="$SW_TEST_TMP/root"
mkdir -p "$R/usr/lib/systemd" "$R/etc/systemd/system"
ln -s usr/lib "$R/lib"
cp -a /usr/lib/systemd/system "$R/usr/lib/systemd/"
cp "$unit" "$sock" "$R/usr/lib/systemd/system/"
start=$(unit_value "$unit" ExecStart | awk '{print $1}')
reload=$(unit_value "$unit" ExecReload | awk '{print $1}')
mkdir -p "$R$(dirname "$start")" "$R$(dirname "$reload")"
cp "$SCHEMAWATCHD" "$R$start"
cp "$SCHEMAWATCHCTL" "$R$reload"
out=$(systemd-analyze verify --man=no --root="$R" schemawatchd.service schemawatchd.socket 2>&1)
rc=$?
is "$rc" 0 "systemd-analyze verify exits 0"
is "$out" "" "systemd-analyze verify says nothing (no warning)"

# A broken unit must make this check fail: the same verify, one bad key.
cp "$sock" "$R/usr/lib/systemd/system/schemawatchd.socket"
echo "ListenStreem=/run/x" >>"$R/usr/lib/systemd/system/schemawatchd.socket"
out=$(systemd-analyze verify --man=no --root="$R" schemawatchd.socket 2>&1)
like "$out" "Unknown key" "verify reports a misspelt key (the check can fail)"

# ---- systemd-analyze security ---------------------------------------------------
# 252 takes --threshold as an integer, exposure x 10: 20 means 2.0.
out=$(systemd-analyze security --offline=yes --threshold=20 "$unit" 2>&1)
rc=$?
is "$rc" 0 "systemd-analyze security --offline=yes --threshold=20 passes"
exposure=$(echo "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
like "$exposure" "^[0-9]+\.[0-9]$" "an exposure level is reported ($exposure)"
ok "exposure $exposure is at most 2.0" awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }'

# ---- sysusers.d and tmpfiles.d ----------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then
	U="$SW_TEST_TMP/uroot"
	mkdir -p "$U/etc" "$U/usr/lib/sysusers.d" "$U/usr/lib/tmpfiles.d"
	cp "$P/schemawatchd.sysusers" "$U/usr/lib/sysusers.d/schemawatchd.conf"
	cp "$P/schemawatchd.tmpfiles" "$U/usr/lib/tmpfiles.d/schemawatchd.conf"
	out=$(systemd-sysusers --root="$U" 2>&1)
	is "$?" 0 "systemd-sysusers accepts the file"
	unlike "$out" "[Ii]gnoring|[Ee]rror|[Ff]ailed" "systemd-sysusers has no complaint"
	ok "user schemawatchd created, home /var/lib/schemawatchd" \
		grep -Eq '^schemawatchd:x:[0-9]+:[0-9]+:[^:]*:/var/lib/schemawatchd:' "$U/etc/passwd"
	ok "group schemawatchd-ops created" grep -Eq '^schemawatchd-ops:x:[0-9]+:' "$U/etc/group"
	# tmpfiles resolves the names through the root's /etc/passwd and group.
	out=$(systemd-tmpfiles --root="$U" --create 2>&1)
	is "$?:$out" "0:" "systemd-tmpfiles accepts the file silently"
	uid=$(awk -F: '$1 == "schemawatchd" { print $3 }' "$U/etc/passwd")
	gid=$(awk -F: '$1 == "schemawatchd-ops" { print $3 }' "$U/etc/group")
	is "$(stat -c '%a %u %g' "$U/run/schemawatchd" 2>&1)" "2750 $uid $gid" \
		"/run/schemawatchd is 2750 schemawatchd:schemawatchd-ops"
else
	diag "not root or no systemd-sysusers/systemd-tmpfiles: syntax check only"
	ok "tmpfiles file lists /run/schemawatchd" grep -Eq '^d +/run/schemawatchd +2750 +schemawatchd +schemawatchd-ops' "$P/schemawatchd.tmpfiles"
fi

# ---- the journal catalog -------------------------------------------------------------
C="$SW_TEST_TMP/croot"
mkdir -p "$C/usr/lib/systemd/catalog" "$C/var/lib/systemd/catalog"
cp "$P/schemawatchd.catalog" "$C/usr/lib/systemd/catalog/"
out=$(journalctl --root="$C" --update-catalog 2>&1)
is "$?" 0 "journalctl --update-catalog accepts the catalog"
list=$(journalctl --root="$C" --list-catalog 2>&1)
ids=$(grep -oE '"[0-9a-f]{32}"' "$SW_SRCDIR/daemon/log.c" | tr -d '"')
n=0 missing=""
for id in $ids; do
	n=$((n + 1))
	grep -q "^$id " <<<"$list" || missing="$missing $id"
done
ok "log.c has MESSAGE_IDs ($n)" test "$n" -ge 12
is "$missing" "" "every MESSAGE_ID of log.c has a catalog entry"

done_testing
