import { Construct } from "constructs";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { RegionalNetwork } from "./regional-network";

export interface PrivateDnsProps {
  /** Resource group that holds the (global) zones. */
  readonly resourceGroupName: string;
  /** Name of the MySQL zone; must end in `.mysql.database.azure.com`. */
  readonly mysqlZoneName: string;
  /** Networks linked to every zone. */
  readonly networks: Record<"primary" | "secondary", RegionalNetwork>;
  readonly tags: Record<string, string>;
}

/**
 * Private DNS zones are global: one zone per service, linked to both VNets, so
 * both regions resolve the MySQL server (and, after promotion, the replica) and
 * every region's file-share endpoint.
 */
export class PrivateDns extends Construct {
  readonly mysqlZone: PrivateDnsZone;
  readonly filesZone: PrivateDnsZone;

  constructor(scope: Construct, id: string, props: PrivateDnsProps) {
    super(scope, id);
    if (!props.mysqlZoneName.endsWith(".mysql.database.azure.com")) {
      throw new Error(
        `mysqlZoneName '${props.mysqlZoneName}' must end in '.mysql.database.azure.com' (an Azure rule for VNet-integrated servers, https://learn.microsoft.com/azure/mysql/flexible-server/concepts-networking-vnet); use e.g. 'privatelink.mysql.database.azure.com'`,
      );
    }
    const zone = (cid: string, name: string) => {
      const z = new PrivateDnsZone(this, cid, { name, resourceGroupName: props.resourceGroupName, tags: props.tags });
      for (const key of ["primary", "secondary"] as const) {
        new PrivateDnsZoneVirtualNetworkLink(this, `${cid}Link-${key}`, {
          name: `${props.networks[key].vnet.name}-link`,
          resourceGroupName: props.resourceGroupName,
          privateDnsZoneName: z.name,
          virtualNetworkId: props.networks[key].vnet.id,
          registrationEnabled: false,
          tags: props.tags,
        });
      }
      return z;
    };
    // The MySQL servers need these links at create; they are in `core`, applied before `data`.
    this.mysqlZone = zone("MysqlZone", props.mysqlZoneName);
    this.filesZone = zone("FilesZone", "privatelink.file.core.windows.net");
  }
}
