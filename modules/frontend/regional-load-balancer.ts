import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-azurerm/lib/lb";
import { LbBackendAddressPool } from "@cdktf/provider-azurerm/lib/lb-backend-address-pool";
import { LbProbe } from "@cdktf/provider-azurerm/lib/lb-probe";
import { LbRule } from "@cdktf/provider-azurerm/lib/lb-rule";
import { LbOutboundRule } from "@cdktf/provider-azurerm/lib/lb-outbound-rule";
import { Diagnostics } from "../common/diagnostics";
import { AzureResourceProps } from "../common/props";

export interface RegionalLoadBalancerProps extends AzureResourceProps {
  /** Zone-redundant public IP that Cloudflare's pool points at. */
  readonly inboundPublicIpId: string;
  /** Zone-redundant public IP for the VMs' egress (downloads, Key Vault, Cloudflare ranges). */
  readonly egressPublicIpId: string;
  /** Path of the health endpoint probed over HTTPS. @default "/healthz" */
  readonly healthPath?: string;
  /** Most VMs that share the egress IP at once; sizes the SNAT ports per VM. */
  readonly maxEgressVms: number;
  /** Whether an archiver pool (egress only) is needed in this region. */
  readonly withArchiverPool: boolean;
  readonly logAnalyticsWorkspaceId: string;
}

/** SNAT ports of one frontend IP (Azure: 64,000 per IP), shared by every VM in the outbound pools. */
export function outboundPortsPerVm(maxVms: number): number {
  const ports = Math.floor(64000 / Math.max(1, maxVms) / 8) * 8;
  return Math.min(16000, Math.max(8, ports));
}

/**
 * The regional Standard load balancer: HTTPS (TCP 443) from Cloudflare to the
 * frontends with an HTTPS health probe, and zone-redundant egress through
 * outbound rules on a second IP (a NAT gateway would be zonal).
 */
export class RegionalLoadBalancer extends Construct {
  readonly lb: Lb;
  readonly frontendPool: LbBackendAddressPool;
  readonly archiverPool?: LbBackendAddressPool;
  readonly probe: LbProbe;
  /** Egress of the frontends; VMs depend on it. */
  readonly frontendEgress: LbOutboundRule;
  /** Egress of the archiver, when `withArchiverPool`. */
  readonly archiverEgress?: LbOutboundRule;

  constructor(scope: Construct, id: string, props: RegionalLoadBalancerProps) {
    super(scope, id);
    const inbound = "inbound";
    const outbound = "outbound";
    this.lb = new Lb(this, "Resource", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: "Standard",
      skuTier: "Regional",
      frontendIpConfiguration: [
        { name: inbound, publicIpAddressId: props.inboundPublicIpId },
        { name: outbound, publicIpAddressId: props.egressPublicIpId },
      ],
      tags: props.tags,
    });
    this.frontendPool = new LbBackendAddressPool(this, "FrontendPool", { name: "frontends", loadbalancerId: this.lb.id });
    this.probe = new LbProbe(this, "HealthProbe", {
      name: "https-healthz",
      loadbalancerId: this.lb.id,
      protocol: "Https",
      port: 443,
      requestPath: props.healthPath ?? "/healthz",
      intervalInSeconds: 5,
      probeThreshold: 2,
    });
    new LbRule(this, "HttpsRule", {
      name: "https",
      loadbalancerId: this.lb.id,
      protocol: "Tcp",
      frontendPort: 443,
      backendPort: 443,
      frontendIpConfigurationName: inbound,
      backendAddressPoolIds: [this.frontendPool.id],
      probeId: this.probe.id,
      // Egress uses the outbound rule's own IP, never the Cloudflare-facing one.
      disableOutboundSnat: true,
      tcpResetEnabled: true,
      floatingIpEnabled: false,
      idleTimeoutInMinutes: 15,
    });
    const ports = outboundPortsPerVm(props.maxEgressVms);
    const outboundRule = (cid: string, name: string, poolId: string) =>
      new LbOutboundRule(this, cid, {
        name,
        loadbalancerId: this.lb.id,
        protocol: "All",
        backendAddressPoolId: poolId,
        frontendIpConfiguration: [{ name: outbound }],
        allocatedOutboundPorts: ports,
        tcpResetEnabled: true,
        idleTimeoutInMinutes: 15,
      });
    this.frontendEgress = outboundRule("FrontendEgress", "frontends-egress", this.frontendPool.id);
    if (props.withArchiverPool) {
      this.archiverPool = new LbBackendAddressPool(this, "ArchiverPool", { name: "archiver-egress", loadbalancerId: this.lb.id });
      this.archiverEgress = outboundRule("ArchiverEgress", "archiver-egress", this.archiverPool.id);
    }
    new Diagnostics(this, "Diagnostics", { targetResourceId: this.lb.id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, logCategoryGroup: null });
  }
}
