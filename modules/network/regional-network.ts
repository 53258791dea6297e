import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Subnet, SubnetConfig } from "@cdktf/provider-azurerm/lib/subnet";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { planSubnets, SubnetPlan } from "./subnet-plan";
import { Diagnostics } from "../common/diagnostics";

export type SubnetRole = keyof SubnetPlan;

export interface RegionalNetworkProps {
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /** Name prefix for this region's resources, e.g. `ctso-matomo-prod-weu`. */
  readonly namePrefix: string;
  /** VNet address space; subnets are carved from it (see `planSubnets`). */
  readonly addressSpace: string;
  /** Zones the zone-redundant public IPs span. */
  readonly zones: readonly string[];
  /** Tags for every resource. */
  readonly tags: Record<string, string>;
  /** Workspace for NSG and public IP diagnostics. */
  readonly logAnalyticsWorkspaceId: string;
}

/**
 * One region's network: resource group, VNet, four subnets each behind its own
 * NSG that denies the Internet, and the two zone-redundant public IPs of the
 * regional load balancer (inbound from Cloudflare, outbound for egress).
 * Subnets have default outbound access off: egress only through the load
 * balancer's outbound rule, which is zone-redundant (a NAT gateway is zonal).
 */
export class RegionalNetwork extends Construct {
  readonly resourceGroup: ResourceGroup;
  readonly vnet: VirtualNetwork;
  readonly subnets: Record<SubnetRole, Subnet>;
  readonly nsgs: Record<SubnetRole, NetworkSecurityGroup>;
  readonly inboundPublicIp: PublicIp;
  readonly egressPublicIp: PublicIp;
  readonly plan: SubnetPlan;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const { location, namePrefix: p, tags } = props;
    this.plan = planSubnets(props.addressSpace);

    this.resourceGroup = new ResourceGroup(this, "ResourceGroup", { name: `${p}-rg`, location, tags });
    const rg = this.resourceGroup.name;
    this.vnet = new VirtualNetwork(this, "Vnet", {
      name: `${p}-vnet`,
      location,
      resourceGroupName: rg,
      addressSpace: [props.addressSpace],
      tags,
    });

    const subnetExtras: Record<SubnetRole, Partial<SubnetConfig>> = {
      // Key Vault is reached through its service endpoint (see docs/adr/0003-config-and-secrets.md).
      frontends: { serviceEndpoints: ["Microsoft.KeyVault"] },
      archiver: { serviceEndpoints: ["Microsoft.KeyVault"] },
      mysql: {
        delegation: [
          {
            name: "mysql-flexible",
            serviceDelegation: {
              name: "Microsoft.DBforMySQL/flexibleServers",
              actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"],
            },
          },
        ],
      },
      privateEndpoints: { privateEndpointNetworkPolicies: "Enabled" },
    };
    const subnetNames: Record<SubnetRole, string> = {
      frontends: "frontends",
      archiver: "archiver",
      mysql: "mysql",
      privateEndpoints: "private-endpoints",
    };

    const subnets = {} as Record<SubnetRole, Subnet>;
    const nsgs = {} as Record<SubnetRole, NetworkSecurityGroup>;
    for (const role of Object.keys(subnetNames) as SubnetRole[]) {
      const holder = new Construct(this, `Subnet-${role}`);
      subnets[role] = new Subnet(holder, "Resource", {
        name: subnetNames[role],
        resourceGroupName: rg,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [this.plan[role]],
        defaultOutboundAccessEnabled: false,
        ...subnetExtras[role],
      });
      nsgs[role] = new NetworkSecurityGroup(holder, "Nsg", { name: `${p}-${subnetNames[role]}-nsg`, location, resourceGroupName: rg, tags });
      // Explicit, so the intent survives changes to Azure's implicit rules and shows in reviews.
      new NetworkSecurityRule(holder, "DenyInternetInbound", {
        name: "deny-internet-inbound",
        priority: 4096,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourcePortRange: "*",
        destinationPortRange: "*",
        sourceAddressPrefix: "Internet",
        destinationAddressPrefix: "*",
        resourceGroupName: rg,
        networkSecurityGroupName: nsgs[role].name,
      });
      new SubnetNetworkSecurityGroupAssociation(holder, "NsgAssociation", {
        subnetId: subnets[role].id,
        networkSecurityGroupId: nsgs[role].id,
      });
      new Diagnostics(holder, "NsgDiagnostics", { targetResourceId: nsgs[role].id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, metrics: false });
    }
    this.subnets = subnets;
    this.nsgs = nsgs;

    // The Azure load-balancer probe must reach the health endpoint; Cloudflare's
    // ranges are allowed by the edge stack, which owns origin protection.
    new NetworkSecurityRule(this, "AllowAzureLbProbe", {
      name: "allow-azure-lb-probe-https",
      priority: 200,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourcePortRange: "*",
      destinationPortRange: "443",
      sourceAddressPrefix: "AzureLoadBalancer",
      destinationAddressPrefix: this.plan.frontends,
      resourceGroupName: rg,
      networkSecurityGroupName: nsgs.frontends.name,
    });

    const zonalIp = (cid: string, name: string) => {
      const ip = new PublicIp(this, cid, {
        name,
        location,
        resourceGroupName: rg,
        sku: "Standard",
        allocationMethod: "Static",
        zones: [...props.zones],
        ipVersion: "IPv4",
        tags,
      });
      new Diagnostics(this, `${cid}Diagnostics`, { targetResourceId: ip.id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId });
      return ip;
    };
    this.inboundPublicIp = zonalIp("InboundPublicIp", `${p}-lb-in-pip`);
    this.egressPublicIp = zonalIp("EgressPublicIp", `${p}-lb-out-pip`);
  }
}
