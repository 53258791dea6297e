import { Construct } from "constructs";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { DataCloudflareIpRanges } from "@cdktf/provider-cloudflare/lib/data-cloudflare-ip-ranges";
import { LoadBalancer } from "@cdktf/provider-cloudflare/lib/load-balancer";
import { LoadBalancerMonitor } from "@cdktf/provider-cloudflare/lib/load-balancer-monitor";
import { LoadBalancerPool } from "@cdktf/provider-cloudflare/lib/load-balancer-pool";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { BlueprintStack, BlueprintStackProps } from "./base-stack";
import { CoreStack, REGION_KEYS, RegionKey } from "./core-stack";
import { EDGE_TTL_FLOOR_SECONDS, loginRateLimitFor, MonitorTiming, TRACKER_JS_EDGE_TTL_SECONDS } from "../modules/edge/plan-profile";
import { OriginHealthMonitor } from "../modules/edge/health-monitor";
import { RegionalOriginPool } from "../modules/edge/origin-pool";
import { GlobalLoadBalancer } from "../modules/edge/global-load-balancer";
import { ZoneTls } from "../modules/edge/zone-tls";
import { OriginCertificate } from "../modules/edge/origin-certificate";
import { CloudflareOriginFirewall } from "../modules/edge/origin-firewall";
import { EdgeRules } from "../modules/edge/edge-rules";
import { PoolHealthNotification } from "../modules/edge/pool-health-notification";

export interface EdgeStackProps extends BlueprintStackProps {
  readonly core: CoreStack;
}

/**
 * Cloudflare in front of both regions: health monitor, one pool per region,
 * the proxied load balancer, zone TLS and (global) Authenticated Origin Pulls, the
 * origin certificate (into Key Vault for the frontends), the origin lock on
 * the frontend NSGs, and cache/rate-limit rules. Deployed after `core` and
 * before the regional app stacks, whose VMs fetch the certificate at boot.
 * Cloudflare credentials come from `CLOUDFLARE_API_TOKEN`, never config.
 */
export class EdgeStack extends BlueprintStack {
  /** Monitor timing chosen for the plan (also in the synthesized monitor). */
  readonly monitorTiming: MonitorTiming;
  readonly monitor: LoadBalancerMonitor;
  /** One pool per Azure region. */
  readonly pools: Readonly<Record<RegionKey, LoadBalancerPool>>;
  readonly loadBalancer: LoadBalancer;
  readonly zoneTls: ZoneTls;
  readonly originCertificate: OriginCertificate;
  readonly cloudflareIpRanges: DataCloudflareIpRanges;
  /** The Cloudflare-only HTTPS allow rule on each region's frontend NSG. */
  readonly originFirewall: Readonly<Record<RegionKey, NetworkSecurityRule>>;
  readonly rules: EdgeRules;
  /** E-mail when a pool's health changes (a failover starts or ends). */
  readonly poolHealthNotification: PoolHealthNotification;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config, naming } = this;
    const { core } = props;
    const cf = config.cloudflare;
    const hostname = config.hostname;

    new CloudflareProvider(this, "cloudflare", {});
    new TlsProvider(this, "tls", {});

    this.monitorTiming = this.facts.edge.monitor;
    this.monitor = new OriginHealthMonitor(this, "HealthMonitor", {
      accountId: cf.accountId,
      hostname,
      probeZone: cf.zoneName,
      timing: this.monitorTiming,
      description: `Matomo ${hostname} /healthz (plan=${cf.plan})`,
    }).monitor;

    const pool = (key: RegionKey) => {
      const region = config.regions[key];
      return new RegionalOriginPool(this, `Pool-${key}`, {
        accountId: cf.accountId,
        name: naming.regional(region, "pool"),
        description: `Matomo ${hostname}, ${key} region ${region.location}`,
        originName: `${region.shortName}-lb`,
        originAddress: core.networks[key].inboundPublicIp.ipAddress,
        hostname,
        monitorId: this.monitor.id,
        checkRegions: region.cloudflareCheckRegions,
        latitude: region.latitude,
        longitude: region.longitude,
      }).pool;
    };
    this.pools = { primary: pool("primary"), secondary: pool("secondary") };

    this.loadBalancer = new GlobalLoadBalancer(this, "LoadBalancer", {
      zoneId: cf.zoneId,
      hostname,
      primaryPoolId: this.pools.primary.id,
      secondaryPoolId: this.pools.secondary.id,
      steering: cf.steeringPolicy,
      sessionAffinity: cf.sessionAffinity,
      geoRegions: {
        primary: config.regions.primary.cloudflareCheckRegions,
        secondary: config.regions.secondary.cloudflareCheckRegions,
      },
    }).loadBalancer;

    this.poolHealthNotification = new PoolHealthNotification(this, "PoolHealthNotification", {
      accountId: cf.accountId,
      name: `${naming.prefix} pool health`,
      poolIds: REGION_KEYS.map((k) => this.pools[k].id),
      email: config.alerts.email,
    });

    this.zoneTls = new ZoneTls(this, "ZoneTls", { zoneId: cf.zoneId });

    this.originCertificate = new OriginCertificate(this, "OriginCertificate", {
      hostname,
      keyVaultId: core.vault.vault.id,
      readers: {
        frontendPrimary: core.frontendIdentities.primary.identity.principalId,
        frontendSecondary: core.frontendIdentities.secondary.identity.principalId,
      },
    });

    this.cloudflareIpRanges = new DataCloudflareIpRanges(this, "CloudflareIpRanges", {});
    const firewall = (key: RegionKey) => {
      const net = core.networks[key];
      return new CloudflareOriginFirewall(this, `OriginFirewall-${key}`, {
        cloudflareIpv4Cidrs: this.cloudflareIpRanges.ipv4Cidrs,
        networkSecurityGroupName: net.nsgs.frontends.name,
        resourceGroupName: net.resourceGroup.name,
        frontendsCidr: net.plan.frontends,
      }).rule;
    };
    this.originFirewall = Object.fromEntries(REGION_KEYS.map((k) => [k, firewall(k)])) as Record<RegionKey, NetworkSecurityRule>;

    this.rules = new EdgeRules(this, "Rules", {
      zoneId: cf.zoneId,
      hostname,
      trackerEdgeTtlSeconds: Math.max(TRACKER_JS_EDGE_TTL_SECONDS, EDGE_TTL_FLOOR_SECONDS[cf.plan]),
      loginRateLimit: cf.loginRateLimit ? loginRateLimitFor(cf.plan) : undefined,
      plan: cf.plan,
    });
  }
}
