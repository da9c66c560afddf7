/* metrics.h — the Prometheus endpoint: GET /metrics over HTTP (libevent's
 * evhttp on the daemon's loop), in the text exposition format 0.0.4.
 *
 * Off unless the configuration sets `metrics: HOST:PORT` (restart-only).
 * Only GET (and HEAD) of /metrics and /healthz answers 200; any other path is 404, any
 * other method on /metrics 405 with "Allow: GET, HEAD". Requests are small
 * and short-lived: headers are capped at METRICS_MAX_HEADERS bytes, bodies at
 * METRICS_MAX_BODY, and a connection idle for METRICS_TIMEOUT_S seconds is
 * closed, so a slow or malformed client cannot hold the loop or the port.
 *
 * Exported series (every target and group of the running configuration):
 *   schemawatchd_build_info{version}                          gauge 1
 *   schemawatchd_start_time_seconds                           gauge
 *   schemawatchd_target_state{target,kind,state}              gauge 0/1, one per state
 *   schemawatchd_target_differences{target}                   gauge
 *   schemawatchd_target_last_check_timestamp_seconds{target}  gauge (absent before the first check)
 *   schemawatchd_target_last_check_duration_seconds{target}   gauge (absent before the first check)
 *   schemawatchd_target_checks_total{target}                  counter
 *   schemawatchd_target_check_failures_total{target}          counter (unreachable / error results)
 *   schemawatchd_target_catalog_reads_total{target}           counter (catalogs read in full)
 *   schemawatchd_target_catalog_reuses_total{target}          counter (SQLite schema unchanged: not re-read)
 *   schemawatchd_group_state{group,state}                     gauge 0/1, one per state
 *   schemawatchd_group_diverged{group}                        gauge 0/1
 *   schemawatchd_group_differences{group}                     gauge
 *   schemawatchd_alert_deliveries_total                       counter (hook runs that exited 0)
 *   schemawatchd_alert_failures_total                         counter (failed or timed-out runs)
 *   schemawatchd_alert_retries_total                          counter (runs retrying a failed one)
 *   schemawatchd_alert_dropped_total                          counter (queue full)
 *   schemawatchd_alerts_pending                               gauge (waiting for the hook)
 *   schemawatchd_unparsable_expressions_total                 counter (normalize.h: each place and text once)
 *   schemawatchd_reloads_total{result="ok"|"refused"}         counter
 * GET /healthz answers 200 "ok" from the event loop itself: an answer
 * proves the loop runs (it is not a check of the targets).
 * Counters restart from 0 when the daemon restarts or a reload redefines
 * the target. packaging/prometheus/schemawatchd-rules.yml alerts on them. */
#ifndef SW_METRICS_H
#define SW_METRICS_H

#define METRICS_MAX_HEADERS	8192
#define METRICS_MAX_BODY	4096
#define METRICS_TIMEOUT_S	10

#include <stdint.h>

struct alertq;
struct event_base;
struct groups;
struct metrics;
struct tgt_reg;

/* The daemon's own counters (service.c counts them). */
struct metrics_counters {
	uint64_t	reloads_ok;
	uint64_t	reloads_refused;
};

/* What the text is rendered from: read-only views of the targets and groups. */
struct metrics_src {
	const struct tgt_reg		*targets;
	const struct groups		*groups;	/* may be NULL */
	int64_t				 started_ms;	/* wall clock */
	const struct alertq		*alerts;	/* may be NULL */
	const struct metrics_counters	*counters;	/* may be NULL */
};

/* Listen on `listen` ("host:port", "[v6addr]:port") on base. NULL and
 * *err (caller frees) when the address cannot be bound. */
struct metrics	*metrics_init(struct event_base *, const char *listen,
		    const struct metrics_src *, char **err);
void		 metrics_fini(struct metrics *);

/* The exposition text for the current state (caller frees). */
char		*metrics_render(const struct metrics_src *);

/* Append a label value escaped as the format wants: \\, \" and \n. */
struct sbuf;
void		 metrics_label_value(struct sbuf *, const char *);

#endif
