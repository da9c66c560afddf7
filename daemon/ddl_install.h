/* ddl_install.h — `schemawatchd --install-ddl-events TARGET`: install the DDL
 * event trigger (sql_dir/ddl-events.postgresql.sql) in a PostgreSQL target's
 * database, in the foreground. A root beside once.c and migrate_cli.c. */
#ifndef SW_DDL_INSTALL_H
#define SW_DDL_INSTALL_H

#include "cfg.h"

#define DDL_INSTALL_FILE	"ddl-events.postgresql.sql"

/* 0 installed; 1 could not (the reason on stderr: not a PostgreSQL target,
 * cannot connect, not a superuser...). */
int	ddl_install_cli(const struct config *, const char *target);

#endif
