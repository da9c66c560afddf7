/* notify.h — talking to systemd through sd_notify(3).
 *
 * Every call is a no-op when the daemon was built without libsystemd (no
 * HAVE_SYSTEMD) or when $NOTIFY_SOCKET is unset (not started by systemd), so
 * callers never check. The environment is left alone (sd_notify(0, ...)), so
 * later calls keep working; children such as the alert hook do inherit
 * NOTIFY_SOCKET, which is harmless with the unit's NotifyAccess=main.
 *
 * Only the event-loop thread may call these. */
#ifndef SW_NOTIFY_H
#define SW_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

struct event_base;

/* If the unit sets WatchdogSec= (sd_watchdog_enabled(0, &usec) > 0), arm a
 * persistent timer on base that sends WATCHDOG=1 every usec/2: the heartbeat
 * comes from the loop itself, so a stuck loop is noticed and restarted. */
void	notify_init(struct event_base *base);
/* Stop the watchdog timer; call before freeing the event_base. */
void	notify_fini(void);

void	notify_ready(void);		/* READY=1 */
/* STATUS=<one line>: newlines and other control characters become spaces,
 * and it is sent only when the text differs from the last one sent. */
void	notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* RELOADING=1 and MONOTONIC_USEC=<CLOCK_MONOTONIC in usec> (systemd 253+
 * requires the timestamp; older versions ignore it). Send notify_ready()
 * when the reload is done, whether it succeeded or not. */
void	notify_reloading(void);
void	notify_stopping(void);		/* STOPPING=1 */
void	notify_errno(int err);		/* ERRNO=<err>, before a fatal exit */

/* True, with the watchdog interval in *usec, when systemd expects
 * WATCHDOG=1 from this process; false (and *usec = 0) otherwise. */
bool	notify_watchdog_enabled(uint64_t *usec);

#endif
