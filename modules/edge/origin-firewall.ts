import { Construct } from "constructs";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";

export interface CloudflareOriginFirewallProps {
  /** Cloudflare's published IPv4 ranges (the `cloudflare_ip_ranges` data source), never a copied list. */
  readonly cloudflareIpv4Cidrs: string[];
  /** Frontend NSG to add the rule to. */
  readonly networkSecurityGroupName: string;
  readonly resourceGroupName: string;
  /** Frontends subnet CIDR: after the load balancer's DNAT the packet is addressed to a VM in it. */
  readonly frontendsCidr: string;
  /**
   * Below the core's deny-internet rule (4096) and apart from its Azure LB
   * probe allow (200). @default 100
   */
  readonly priority?: number;
}

/**
 * Origin lock: HTTPS reaches the frontends only from Cloudflare's edge. The
 * regional load balancer's frontend is IPv4, so Cloudflare connects over IPv4
 * and no IPv6 rule is needed (docs/adr/0008-edge-origin-trust.md). When
 * Cloudflare publishes a new range, the next plan shows it here.
 */
export class CloudflareOriginFirewall extends Construct {
  readonly rule: NetworkSecurityRule;

  constructor(scope: Construct, id: string, props: CloudflareOriginFirewallProps) {
    super(scope, id);
    this.rule = new NetworkSecurityRule(this, "AllowCloudflareHttps", {
      name: "allow-cloudflare-https",
      description: "HTTPS from Cloudflare's published IPv4 ranges only (origin lock)",
      priority: props.priority ?? 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourcePortRange: "*",
      destinationPortRange: "443",
      sourceAddressPrefixes: props.cloudflareIpv4Cidrs,
      destinationAddressPrefix: props.frontendsCidr,
      resourceGroupName: props.resourceGroupName,
      networkSecurityGroupName: props.networkSecurityGroupName,
    });
  }
}
