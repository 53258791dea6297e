import { Construct } from "constructs";
import { Ruleset } from "@cdktf/provider-cloudflare/lib/ruleset";
import { CloudflarePlan } from "../../config/schema";
import { checkRateLimitExpression, LoginRateLimit } from "./plan-profile";

export interface EdgeRulesProps {
  readonly zoneId: string;
  readonly hostname: string;
  /** Edge TTL of the tracker JavaScript (at least the plan's floor). */
  readonly trackerEdgeTtlSeconds: number;
  /** Login rate limit, or undefined for none. */
  readonly loginRateLimit?: LoginRateLimit;
  /** Zone plan: bounds the fields a rate limiting rule may read. */
  readonly plan: CloudflarePlan;
}

/**
 * Requests of Matomo's login form: `module=Login` in the query string, where
 * the form posts it. Not a POST body carrying `module=Login` (see
 * `loginRateLimitFor`), nor a percent-encoded spelling of it.
 */
export function loginRequestExpression(hostname: string): string {
  return `(http.host eq "${hostname}" and http.request.uri.query contains "module=Login")`;
}

/**
 * Public tracker files every tracked page loads: the tracker and Tag Manager
 * containers. Container previews are per-user debugging output and stay uncached.
 */
export function trackerJsExpression(): string {
  const path = "http.request.uri.path";
  return `(${path} in {"/matomo.js" "/piwik.js"} or (starts_with(${path}, "/js/container_") and ends_with(${path}, ".js") and not ends_with(${path}, "_preview.js")))`;
}

/**
 * Zone rulesets for the Matomo host. Each is the zone's entrypoint for its
 * phase: a zone that already has cache or rate-limiting rules must import
 * them first (docs/traffic-flow.md).
 */
export class EdgeRules extends Construct {
  readonly cacheRules: Ruleset;
  readonly rateLimit?: Ruleset;

  constructor(scope: Construct, id: string, props: EdgeRulesProps) {
    super(scope, id);
    const host = `http.host eq "${props.hostname}"`;
    const tracker = trackerJsExpression();

    // Expressions are disjoint, so the outcome does not depend on rule order.
    this.cacheRules = new Ruleset(this, "Cache", {
      zoneId: props.zoneId,
      kind: "zone",
      phase: "http_request_cache_settings",
      name: "matomo-cache",
      description: `Matomo ${props.hostname}: cache the tracker JS briefly, never tracking requests or the UI`,
      rules: [
        {
          ref: "matomo_tracker_js",
          description: "Tracker and Tag Manager containers: short edge TTL, browser TTL from the origin",
          expression: `(${host} and ${tracker})`,
          action: "set_cache_settings",
          enabled: true,
          actionParameters: {
            cache: true,
            edgeTtl: { mode: "override_origin", default: props.trackerEdgeTtlSeconds },
            browserTtl: { mode: "respect_origin" },
          },
        },
        {
          ref: "matomo_bypass",
          description: "Tracking (matomo.php, piwik.php), UI and API: always from the origin",
          expression: `(${host} and not ${tracker})`,
          action: "set_cache_settings",
          enabled: true,
          actionParameters: { cache: false },
        },
      ],
    });

    if (props.loginRateLimit) {
      const rl = props.loginRateLimit;
      const expression = loginRequestExpression(props.hostname);
      checkRateLimitExpression(props.plan, "matomo_login", expression);
      this.rateLimit = new Ruleset(this, "RateLimit", {
        zoneId: props.zoneId,
        kind: "zone",
        phase: "http_ratelimit",
        name: "matomo-rate-limit",
        description: `Matomo ${props.hostname}: slow down password guessing through the login form at the edge`,
        rules: [
          {
            ref: "matomo_login",
            description: "Login form requests (module=Login in the query) per client IP and data centre; not module=Login in a POST body",
            expression,
            action: "block",
            enabled: true,
            ratelimit: {
              characteristics: ["cf.colo.id", "ip.src"],
              period: rl.period,
              requestsPerPeriod: rl.requestsPerPeriod,
              mitigationTimeout: rl.mitigationTimeout,
            },
          },
        ],
      });
    }
  }
}
