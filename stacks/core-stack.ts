import { Construct } from "constructs";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { BlueprintStack, BlueprintStackProps } from "./base-stack";
import { RegionalNetwork } from "../modules/network/regional-network";
import { GlobalPeering } from "../modules/network/peering";
import { PrivateDns } from "../modules/network/private-dns";
import { LogAnalytics } from "../modules/monitoring/log-analytics";
import { SecretsVault } from "../modules/key-vault/key-vault";
import { WorkloadIdentity } from "../modules/identity/workload-identity";
import { Diagnostics } from "../modules/common/diagnostics";
import { AlertActionGroup } from "../modules/monitoring/alerts";

export type RegionKey = "primary" | "secondary";
export const REGION_KEYS: readonly RegionKey[] = ["primary", "secondary"];

/**
 * Rarely-changing foundation: per-region networks, peering, private DNS, the
 * Key Vault, Log Analytics and the VM identities. Other stacks take these as
 * typed props; cdktf wires them as outputs and remote state.
 */
export class CoreStack extends BlueprintStack {
  readonly networks: Record<RegionKey, RegionalNetwork>;
  readonly privateDns: PrivateDns;
  readonly logAnalytics: LogAnalytics;
  readonly vault: SecretsVault;
  readonly clientConfig: DataAzurermClientConfig;
  /** Frontend identity per region (each region stays independent). */
  readonly frontendIdentities: Record<RegionKey, WorkloadIdentity>;
  readonly archiverIdentity: WorkloadIdentity;
  /** Resource group for global and primary-only shared resources. */
  readonly sharedResourceGroup: ResourceGroup;
  /** Where every Azure alert of the environment goes. */
  readonly alerts: AlertActionGroup;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, props);
    const { config, naming, tags } = this;
    const primary = config.regions.primary;
    this.clientConfig = new DataAzurermClientConfig(this, "ClientConfig", {});

    this.sharedResourceGroup = new ResourceGroup(this, "SharedResourceGroup", {
      name: naming.global("shared-rg"),
      location: primary.location,
      tags,
    });
    const sharedRg = this.sharedResourceGroup.name;

    this.logAnalytics = new LogAnalytics(this, "LogAnalytics", {
      name: naming.global("law"),
      location: primary.location,
      resourceGroupName: sharedRg,
      tags,
    });
    const workspaceId = this.logAnalytics.workspace.id;

    const network = (key: RegionKey) => {
      const region = config.regions[key];
      return new RegionalNetwork(this, `Network-${key}`, {
        location: region.location,
        namePrefix: `${naming.prefix}-${region.shortName}`,
        addressSpace: region.addressSpace,
        zones: region.zones,
        tags,
        logAnalyticsWorkspaceId: workspaceId,
      });
    };
    this.networks = { primary: network("primary"), secondary: network("secondary") };
    new GlobalPeering(this, "Peering", this.networks);

    this.privateDns = new PrivateDns(this, "PrivateDns", {
      resourceGroupName: sharedRg,
      mysqlZoneName: naming.mysqlPrivateDnsZone,
      networks: this.networks,
      tags,
    });

    this.vault = new SecretsVault(this, "KeyVault", {
      name: naming.keyVault,
      location: primary.location,
      resourceGroupName: sharedRg,
      tenantId: config.azure.tenantId,
      deployerObjectId: config.azure.deployerObjectId ?? this.clientConfig.objectId,
      allowedSubnetIds: [
        ...REGION_KEYS.flatMap((k) => [this.networks[k].subnets.frontends.id, this.networks[k].subnets.archiver.id]),
        ...config.keyVault.runnerSubnetIds,
      ],
      allowedCidrs: config.keyVault.allowedCidrs,
      logAnalyticsWorkspaceId: workspaceId,
      tags,
    });

    const identity = (cid: string, name: string, location: string, resourceGroupName: string) =>
      new WorkloadIdentity(this, cid, { name, location, resourceGroupName, tags });
    this.frontendIdentities = {
      primary: identity("FrontendIdentity-primary", naming.regional(primary, "frontend-id"), primary.location, this.networks.primary.resourceGroup.name),
      secondary: identity(
        "FrontendIdentity-secondary",
        naming.regional(config.regions.secondary, "frontend-id"),
        config.regions.secondary.location,
        this.networks.secondary.resourceGroup.name,
      ),
    };
    this.archiverIdentity = identity("ArchiverIdentity", naming.regional(primary, "archiver-id"), primary.location, this.networks.primary.resourceGroup.name);

    this.alerts = new AlertActionGroup(this, "AlertActionGroup", {
      name: naming.global("alerts-ag"),
      resourceGroupName: sharedRg,
      email: config.alerts.email,
      tags,
    });

    new Diagnostics(this, "LogAnalyticsDiagnostics", { targetResourceId: workspaceId, logAnalyticsWorkspaceId: workspaceId, logCategoryGroup: "audit" });
  }
}
