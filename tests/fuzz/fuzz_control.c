/* fuzz_control — libFuzzer target for the control protocol: the request
 * parser and the command dispatcher of commands.c (the request handler that
 * control.c hands every line a client sends), with a stub service behind it.
 *
 * Any local user who can open the socket can send any line, so the input is
 * one request line. Behind the handler are the real read-side rooms the
 * commands look at — a target registry with two never-checked targets, their
 * groups, a reporter — and no history (state.db unavailable, a real case).
 * The peer is an ordinary user (uid 4242, not root, not us): changing
 * commands (check, reload, apply) are refused at authorization, before their
 * arguments are looked at, so that no input starts a check, an apply or a
 * reload; everything up to that refusal, and every reading command, is
 * fuzzed. Each line must get exactly one answer at once (CTL_DONE) that is a
 * JSON object with "ok", as doc/control-protocol.md says. */
#include "config.h"

#include <event2/event.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "commands.h"
#include "control.h"
#include "groups.h"
#include "log.h"
#include "reporter.h"
#include "target.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fuzz_cfg[] =
	"targets:\n"
	"  - name: prod\n"
	"    sqlite: /nonexistent/fuzz/prod.db\n"
	"  - name: dev\n"
	"    sqlite: /nonexistent/fuzz/dev.db\n"
	"groups:\n"
	"  - name: all\n"
	"    members: [prod, dev]\n";

static struct ctl_handler handler;

static int
stub_reload(void *svc, char **err)
{
	(void)svc;
	*err = xstrdup("reload is a stub in fuzz_control");
	return -1;
}

static char *
stub_status_line(void *svc)
{
	(void)svc;
	return xstrdup("fuzzing");
}

/* Built once; libFuzzer keeps the process for all inputs. */
static void
setup(void)
{
	static struct cmd_env env;
	struct config *cfg;
	struct reporter *rep;
	struct tgt_reg *reg;
	struct cmds *cmds;
	char *err = NULL;

	log_init("fuzz_control", LOG_SINK_STDERR, LOG_ERR);
	if ((cfg = cfg_load_string("fuzz.yaml", fuzz_cfg, &err)) == NULL) {
		fprintf(stderr, "fuzz_control: %s\n", err);
		abort();
	}
	rep = reporter_new(NULL, NULL);
	reporter_configure(rep, cfg);
	reg = tgt_reg_new(rep);
	tgt_reg_configure(reg, cfg, NULL, NULL);
	env.base = event_base_new();
	env.targets = reg;
	env.groups = groups_new(reg, rep, cfg);
	env.started_ms = 1700000000000;
	env.reload = stub_reload;
	env.status_line = stub_status_line;
	cmds = cmds_new(&env);
	cmds_configure(cmds, cfg);
	cmds_handler(cmds, &handler);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_peer peer = { 4242, 4242, 4242, NULL, 0 };
	struct ctl_req *req;
	enum ctl_result r;

	if (handler.serve == NULL)
		setup();
	req = handler.req_new(handler.ctx);
	req->peer = &peer;
	r = handler.serve(handler.ctx, req, (const char *)data, size);
	if (r != CTL_DONE || !json_is_object(req->response) ||
	    !json_is_boolean(json_object_get(req->response, "ok"))) {
		fprintf(stderr, "fuzz_control: result %d, response %s\n", (int)r,
		    req->response ? "without \"ok\"" : "missing");
		abort();
	}
	handler.req_free(handler.ctx, req);
	return 0;
}
