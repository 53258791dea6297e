import { Construct } from "constructs";
import { VirtualNetworkPeering } from "@cdktf/provider-azurerm/lib/virtual-network-peering";
import { RegionalNetwork } from "./regional-network";

/** Global VNet peering in both directions, so each region reaches MySQL, shares and the other's peers. */
export class GlobalPeering extends Construct {
  constructor(scope: Construct, id: string, props: { readonly primary: RegionalNetwork; readonly secondary: RegionalNetwork }) {
    super(scope, id);
    const pair = (cid: string, from: RegionalNetwork, to: RegionalNetwork) =>
      new VirtualNetworkPeering(this, cid, {
        name: `to-${to.vnet.name}`,
        resourceGroupName: from.resourceGroup.name,
        virtualNetworkName: from.vnet.name,
        remoteVirtualNetworkId: to.vnet.id,
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      });
    pair("PrimaryToSecondary", props.primary, props.secondary);
    pair("SecondaryToPrimary", props.secondary, props.primary);
  }
}
