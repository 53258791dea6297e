import { CLOUDFLARE_PLAN_LIMITS, CloudflarePlan } from "../../config/schema";

/**
 * What the edge stack sets per Cloudflare plan. Numbers and their sources are
 * in docs/adr/0009-edge-steering-and-monitor-timing.md and docs/failover-budget.md.
 */

/** Health-monitor timing. */
export interface MonitorTiming {
  /** Seconds between checks from each probing data centre. */
  readonly interval: number;
  /** Seconds before one check attempt counts as failed. */
  readonly timeout: number;
  /** Immediate re-attempts before a check is reported as failed. */
  readonly retries: number;
  /** Consecutive failed checks that mark the origin down. */
  readonly consecutiveDown: number;
  /** Consecutive passed checks that mark it up again (slower than down on purpose: no flapping back). */
  readonly consecutiveUp: number;
}

/**
 * Per plan, the interval is the plan floor (https://developers.cloudflare.com/load-balancing/monitors/create-monitor/). At a
 * 60 s interval one failed check must suffice, otherwise detection doubles to
 * two minutes; the quorum over 3 data centres per check region already filters
 * single-probe noise. At 15 s and 10 s two failures are affordable and halve
 * false positives. Enterprise gets a 3 s timeout so a hung origin is detected
 * within its shorter interval; `/healthz` must answer well inside it.
 */
const TIMING: Record<CloudflarePlan, Omit<MonitorTiming, "interval">> = {
  free: { timeout: 5, retries: 2, consecutiveDown: 1, consecutiveUp: 2 },
  pro: { timeout: 5, retries: 2, consecutiveDown: 1, consecutiveUp: 2 },
  business: { timeout: 5, retries: 1, consecutiveDown: 2, consecutiveUp: 2 },
  enterprise: { timeout: 3, retries: 1, consecutiveDown: 2, consecutiveUp: 2 },
};

/** Monitor timing for a plan; `interval` overrides the plan floor (config validation keeps it above). */
export function monitorTimingFor(plan: CloudflarePlan, interval?: number): MonitorTiming {
  const floor = CLOUDFLARE_PLAN_LIMITS[plan].minMonitorIntervalSeconds;
  const chosen = interval ?? floor;
  if (chosen < floor)
    throw new Error(
      `monitor interval ${chosen} s is below the '${plan}' plan floor of ${floor} s; set cloudflare.monitorIntervalSeconds to ${floor} or more, or upgrade cloudflare.plan`,
    );
  return { interval: chosen, ...TIMING[plan] };
}

/**
 * Derived region-failover detection time (docs/failover-budget.md; not a
 * published figure): best case a fast failure (refused, 5xx) just before a
 * check; worst case a hang that must time out on every attempt.
 */
export function detectionSeconds(t: MonitorTiming): { best: number; worstFast: number; worstTimeout: number } {
  const down = Math.max(1, t.consecutiveDown);
  return {
    best: (down - 1) * t.interval,
    worstFast: down * t.interval,
    worstTimeout: down * t.interval + (t.retries + 1) * t.timeout,
  };
}

/**
 * Minimum edge-cache TTL a cache rule may set, per plan (Cloudflare docs,
 * cache/how-to/edge-browser-cache-ttl: Free 2 h, Pro 1 h, Business and
 * Enterprise 1 s).
 */
export const EDGE_TTL_FLOOR_SECONDS: Record<CloudflarePlan, number> = {
  free: 7200,
  pro: 3600,
  business: 1,
  enterprise: 1,
};

/** Edge TTL wanted for the tracker JavaScript: short, so a regenerated tracker spreads within minutes. */
export const TRACKER_JS_EDGE_TTL_SECONDS = 300;

/** Login rate limit parameters, or undefined where the plan cannot express the rule. */
export interface LoginRateLimit {
  readonly period: number;
  readonly requestsPerPeriod: number;
  readonly mitigationTimeout: number;
}

/** Cloudflare's table of rate limiting features per plan, the fields allowed in a rule expression among them. */
export const RATE_LIMIT_FEATURES_URL = "https://developers.cloudflare.com/learning-paths/application-security/rate-limiting/features/";

/** Request body fields; in rate limiting rules only Enterprise with the Advanced Rate Limiting add-on has them. */
const BODY_FIELD = /^(raw\.)?http\.request\.body\./;

/**
 * Fields a rate limiting rule expression may use, per plan (RATE_LIMIT_FEATURES_URL):
 * Free path and verified bot; Pro adds host, URI, full URI and query; Business
 * adds method, source IP and user agent. `enterprise` here means without the
 * Advanced Rate Limiting add-on (the config cannot tell): every field but the
 * request body. So no plan the config names can see `module=Login` in a POST body.
 */
const FREE_FIELDS = ["http.request.uri.path", "cf.bot_management.verified_bot", "cf.client.bot"];
const PRO_FIELDS = [...FREE_FIELDS, "http.host", "http.request.uri", "http.request.full_uri", "http.request.uri.query"];
const BUSINESS_FIELDS = [...PRO_FIELDS, "http.request.method", "ip.src", "http.user_agent"];
const RATE_LIMIT_FIELDS: Record<CloudflarePlan, (field: string) => boolean> = {
  free: (f) => FREE_FIELDS.includes(f),
  pro: (f) => PRO_FIELDS.includes(f),
  business: (f) => BUSINESS_FIELDS.includes(f),
  enterprise: (f) => !BODY_FIELD.test(f),
};

/** The fields an expression reads (string literals skipped). */
export function expressionFields(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...new Set(code.match(/\b(?:raw\.)?(?:http|ip|cf)\.[a-z0-9_.]*[a-z0-9_]/g) ?? [])];
}

/**
 * Rejects a rate limiting rule expression that reads a field the zone's plan
 * does not offer there; Cloudflare would refuse the ruleset at apply time.
 */
export function checkRateLimitExpression(plan: CloudflarePlan, ref: string, expression: string): void {
  const unavailable = expressionFields(expression).filter((f) => !RATE_LIMIT_FIELDS[plan](f));
  if (unavailable.length === 0) return;
  const body = unavailable.some((f) => BODY_FIELD.test(f)) ? " Request body fields need Enterprise with the Advanced Rate Limiting add-on." : "";
  throw new Error(
    `rate limiting rule '${ref}': field(s) ${unavailable.map((f) => `'${f}'`).join(", ")} not available in rule expressions on the ` +
      `'${plan}' Cloudflare plan.${body} Match on a field the plan offers, or raise cloudflare.plan to one that offers it (${RATE_LIMIT_FEATURES_URL}).`,
  );
}

/**
 * Matomo's login is `index.php?module=Login`, so the rule needs the query
 * string. Free rate-limiting rules may only match on the path (Cloudflare docs
 * partial waf/rate-limiting-availability-by-plan.mdx), and a path-only rule on
 * `/index.php` would throttle the whole UI and API: no rule on Free. Pro caps
 * the period at 60 s and the mitigation at 1 h; the same values are used above
 * Pro so behaviour does not change with an upgrade.
 */
export function loginRateLimitFor(plan: CloudflarePlan): LoginRateLimit | undefined {
  // Matomo reads `module` from GET and POST alike, but the body is out of reach of every plan above (see
  // RATE_LIMIT_FIELDS): the rule counts Matomo's own login form, whose action carries module=Login in the
  // query, and a client that posts module=Login in the body is not counted. Matomo's brute-force detection
  // (Login plugin, on by default) limits failed logins per client IP behind it.
  if (plan === "free") return undefined;
  return { period: 60, requestsPerPeriod: 10, mitigationTimeout: 600 };
}
