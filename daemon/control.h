/* control.h — the control socket server (see doc/control-protocol.md). */
#ifndef SW_CONTROL_H
#define SW_CONTROL_H

struct daemon;
struct ctl;

/* Listen (or take the socket systemd passed); NULL and *err on failure. */
struct ctl	*ctl_init(struct daemon *, char **err);
void		 ctl_fini(struct ctl *);

#endif
