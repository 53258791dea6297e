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
 * Per plan, the interval is the plan floor (reliability-security.md §1.4). At a
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
  if (chosen < floor) throw new Error(`monitor interval ${chosen} s is below the '${plan}' plan floor of ${floor} s`);
  return { interval: chosen, ...TIMING[plan] };
}

/**
 * Derived region-failover detection time (reliability-security.md §1.4, not a
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

/**
 * Matomo's login is `index.php?module=Login`, so the rule needs the query
 * string. Free rate-limiting rules may only match on the path (Cloudflare docs
 * partial waf/rate-limiting-availability-by-plan.mdx), and a path-only rule on
 * `/index.php` would throttle the whole UI and API: no rule on Free. Pro caps
 * the period at 60 s and the mitigation at 1 h; the same values are used above
 * Pro so behaviour does not change with an upgrade.
 */
export function loginRateLimitFor(plan: CloudflarePlan): LoginRateLimit | undefined {
  if (plan === "free") return undefined;
  return { period: 60, requestsPerPeriod: 10, mitigationTimeout: 600 };
}
