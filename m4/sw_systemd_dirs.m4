# sw_systemd_dirs.m4 — where the systemd units, sysusers.d, tmpfiles.d and
# journal catalog files go.
#
# SW_SYSTEMD_DIR(VAR, PKGCONFIG-VARIABLE, WHAT)
#   --with-VAR=DIR   install there (distcheck passes dirs under $prefix)
#   --with-VAR=no    do not install them
#   default          `pkg-config --variable=PKGCONFIG-VARIABLE systemd`, or
#                    "no" when systemd.pc is not there
# Substitutes VAR and defines the automake conditional HAVE_<VAR>.
AC_DEFUN([SW_SYSTEMD_DIR], [
  AC_ARG_WITH([$1],
    [AS_HELP_STRING([--with-$1=DIR], [$3 (default: from systemd.pc; "no" to skip)])],
    [], [with_$1=auto])
  AS_CASE([$with_$1],
    [auto|yes], [with_$1=`$PKG_CONFIG --variable=$2 systemd 2>/dev/null`
                 AS_IF([test -z "$with_$1"], [with_$1=no])])
  AC_MSG_CHECKING([where to install $3])
  AC_MSG_RESULT([$with_$1])
  AC_SUBST([$1], [$with_$1])
  AM_CONDITIONAL([HAVE_]m4_toupper([$1]), [test "x$with_$1" != xno])
])

# SW_SYSTEMD_DIRS: all four.
AC_DEFUN([SW_SYSTEMD_DIRS], [
  AC_REQUIRE([PKG_PROG_PKG_CONFIG])
  SW_SYSTEMD_DIR([systemdsystemunitdir], [systemdsystemunitdir], [systemd system units])
  SW_SYSTEMD_DIR([sysusersdir], [sysusersdir], [sysusers.d files])
  SW_SYSTEMD_DIR([tmpfilesdir], [tmpfilesdir], [tmpfiles.d files])
  SW_SYSTEMD_DIR([catalogdir], [catalogdir], [journal catalog files])
])
