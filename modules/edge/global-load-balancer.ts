import { Construct } from "constructs";
import { LoadBalancer, LoadBalancerConfig } from "@cdktf/provider-cloudflare/lib/load-balancer";
import { unmanagedDrift } from "./provider-drift";

/** Steering as the config names it. */
export type SteeringChoice = "failover" | "random" | "dynamic_latency" | "geo" | "proximity";

/**
 * Config name -> provider `steering_policy`. `failover` is the provider's
 * "off": pools are tried in `default_pools` order. It is written explicitly,
 * because the provider's empty default turns into geo steering as soon as
 * region pools exist.
 */
export const PROVIDER_STEERING: Readonly<Record<SteeringChoice, string>> = {
  failover: "off",
  random: "random",
  dynamic_latency: "dynamic_latency",
  geo: "geo",
  proximity: "proximity",
};

export interface GlobalLoadBalancerProps {
  readonly zoneId: string;
  /** Proxied host name the load balancer answers for. */
  readonly hostname: string;
  readonly primaryPoolId: string;
  readonly secondaryPoolId: string;
  readonly steering: SteeringChoice;
  readonly sessionAffinity: "none" | "cookie";
  /** Cloudflare regions near each Azure region; used by `geo` steering only. */
  readonly geoRegions: { readonly primary: readonly string[]; readonly secondary: readonly string[] };
}

/**
 * The proxied load balancer. Default order primary -> secondary, the
 * secondary as fallback pool (used when both are unhealthy, health ignored),
 * and `failover_across_pools` so a request that hits a dead origin (521-526)
 * is retried once in the other region before the monitor has noticed.
 */
export class GlobalLoadBalancer extends Construct {
  readonly loadBalancer: LoadBalancer;

  constructor(scope: Construct, id: string, props: GlobalLoadBalancerProps) {
    super(scope, id);
    const { primaryPoolId: p, secondaryPoolId: s } = props;
    const config: LoadBalancerConfig = {
      zoneId: props.zoneId,
      name: props.hostname,
      description: `Matomo ${props.hostname}: primary -> secondary region`,
      enabled: true,
      proxied: true,
      defaultPools: [p, s],
      fallbackPool: s,
      steeringPolicy: PROVIDER_STEERING[props.steering],
      adaptiveRouting: { failoverAcrossPools: true },
      ...steeringExtras(props),
      ...affinity(props.sessionAffinity),
    };
    // Provider 5.x drift (./provider-drift.ts): what the blueprint leaves to Cloudflare is not diffed.
    this.loadBalancer = new LoadBalancer(this, "Resource", {
      ...config,
      lifecycle: { ignoreChanges: unmanagedDrift("cloudflare_load_balancer", config) },
    });
  }
}

function steeringExtras(props: GlobalLoadBalancerProps): Partial<LoadBalancerConfig> {
  const { primaryPoolId: p, secondaryPoolId: s } = props;
  if (props.steering === "random") {
    // Even split; the secondary writes to the primary's database across regions, so a fork may lower its weight.
    return { randomSteering: { defaultWeight: 0.5, poolWeights: { [p]: 0.5, [s]: 0.5 } } };
  }
  if (props.steering === "geo") {
    // Visitors in a region near the primary go primary-first; regions only near the secondary go secondary-first.
    const regionPools: Record<string, string[]> = {};
    for (const r of props.geoRegions.secondary) regionPools[r] = [s, p];
    for (const r of props.geoRegions.primary) regionPools[r] = [p, s];
    return { regionPools };
  }
  return {};
}

function affinity(mode: "none" | "cookie"): Partial<LoadBalancerConfig> {
  if (mode === "none") return { sessionAffinity: "none" };
  // Matomo keeps sessions in MySQL, so affinity is a latency nicety; on failover the visitor follows the healthy pool.
  return {
    sessionAffinity: "cookie",
    // Every computed field written out (drain off, no header affinity), so the object never plans as unknown.
    sessionAffinityAttributes: { samesite: "Lax", secure: "Always", zeroDowntimeFailover: "temporary", drainDuration: 0, requireAllHeaders: false },
  };
}
