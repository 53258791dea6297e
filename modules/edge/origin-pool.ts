import { Construct } from "constructs";
import { LoadBalancerPool, LoadBalancerPoolConfig } from "@cdktf/provider-cloudflare/lib/load-balancer-pool";
import { unmanagedDrift } from "./provider-drift";

export interface RegionalOriginPoolProps {
  readonly accountId: string;
  /** Pool name: letters, digits, '-' and '_' only (Cloudflare rule). */
  readonly name: string;
  readonly description: string;
  /** Name of the single origin, e.g. `weu-lb`. */
  readonly originName: string;
  /** Public IPv4 of the region's Azure load balancer. */
  readonly originAddress: string;
  /** Host header sent to the origin (TLS SNI and nginx server_name). */
  readonly hostname: string;
  readonly monitorId: string;
  /** Cloudflare regions that probe this pool. */
  readonly checkRegions: readonly string[];
  /** For `proximity` steering. */
  readonly latitude?: number;
  readonly longitude?: number;
}

const POOL_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * One Azure region as a Cloudflare pool. Its single origin is the regional
 * load balancer, which spreads over the zones itself; so one healthy origin
 * (`minimum_origins = 1`) is the whole region being up.
 */
export class RegionalOriginPool extends Construct {
  readonly pool: LoadBalancerPool;

  constructor(scope: Construct, id: string, props: RegionalOriginPoolProps) {
    super(scope, id);
    if (!POOL_NAME.test(props.name)) {
      throw new Error(
        `RegionalOriginPool: name '${props.name}' may contain only letters, digits, '-' and '_' (Cloudflare rule); replace the other characters, e.g. with '-'`,
      );
    }
    if (props.checkRegions.length === 0)
      throw new Error(
        `RegionalOriginPool ${props.name}: checkRegions is empty; list at least one Cloudflare region near the origin, e.g. ["WEU"] (config: regions.<key>.cloudflareCheckRegions)`,
      );
    const config: LoadBalancerPoolConfig = {
      accountId: props.accountId,
      name: props.name,
      description: props.description,
      enabled: true,
      minimumOrigins: 1,
      monitor: props.monitorId,
      checkRegions: [...props.checkRegions],
      latitude: props.latitude,
      longitude: props.longitude,
      origins: [
        {
          name: props.originName,
          address: props.originAddress,
          enabled: true,
          weight: 1,
          header: { host: [props.hostname] },
        },
      ],
    };
    // Provider 5.x drift (./provider-drift.ts): load shedding, notification filter and origin steering stay Cloudflare's defaults.
    this.pool = new LoadBalancerPool(this, "Resource", {
      ...config,
      lifecycle: { ignoreChanges: unmanagedDrift("cloudflare_load_balancer_pool", config) },
    });
  }
}
