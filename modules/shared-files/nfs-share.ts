import { Construct } from "constructs";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageShare } from "@cdktf/provider-azurerm/lib/storage-share";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { protectStateful } from "../common/protect";
import { Diagnostics } from "../common/diagnostics";

export interface NfsShareProps {
  /** Storage account name, 3-24 lower-case alphanumerics, globally unique. */
  readonly accountName: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Share name. @default "matomo-shared" */
  readonly shareName?: string;
  /** Provisioned size; premium shares need at least 100 GiB. @default 100 */
  readonly quotaGiB?: number;
  /** Days a deleted share is kept. @default 14 */
  readonly softDeleteDays?: number;
  /** Subnet of the private endpoint (in this region). */
  readonly privateEndpointSubnetId: string;
  /** `privatelink.file.core.windows.net`, linked to both VNets. */
  readonly privateDnsZoneId: string;
  readonly logAnalyticsWorkspaceId: string;
  readonly tags: Record<string, string>;
}

/**
 * A premium, zone-redundant Azure Files NFS share for Matomo's small shared
 * set (never code), reachable only through its private endpoint. NFS has no
 * identity auth, so the network is the gate: no public access, no keys.
 * @stateful
 */
export class NfsShare extends Construct {
  readonly account: StorageAccount;
  readonly share: StorageShare;
  /** Host NFS clients mount (resolves to the private endpoint). */
  readonly host: string;
  /** Export path, `/<account>/<share>`. */
  readonly exportPath: string;

  constructor(scope: Construct, id: string, props: NfsShareProps) {
    super(scope, id);
    const quota = props.quotaGiB ?? 100;
    if (quota < 100 || quota > 102400)
      throw new Error(
        `NfsShare: quotaGiB ${quota} must be a size from 100 to 102400 GiB, the premium file share limits (https://learn.microsoft.com/azure/storage/files/storage-files-scale-targets); set quotaGiB in that range`,
      );
    const shareName = props.shareName ?? "matomo-shared";

    this.account = new StorageAccount(this, "Account", {
      name: props.accountName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      accountKind: "FileStorage",
      accountTier: "Premium",
      accountReplicationType: "ZRS",
      // NFS 4.1 does not run over HTTPS; the private endpoint is the transport boundary.
      httpsTrafficOnlyEnabled: false,
      publicNetworkAccessEnabled: false,
      minTlsVersion: "TLS1_2",
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      networkRules: { defaultAction: "Deny", bypass: ["AzureServices"] },
      shareProperties: { retentionPolicy: { days: props.softDeleteDays ?? 14 } },
      tags: props.tags,
    });
    protectStateful(this, this.account, {
      resourceId: this.account.id,
      lockName: "do-not-delete-matomo-files",
      notes: "Matomo's shared config and user files.",
    });

    this.share = new StorageShare(this, "Share", {
      name: shareName,
      storageAccountId: this.account.id,
      enabledProtocol: "NFS",
      quota,
      accessTier: "Premium",
    });
    this.share.addOverride("lifecycle.prevent_destroy", true);

    new PrivateEndpoint(this, "PrivateEndpoint", {
      name: `${props.accountName}-pe`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: props.privateEndpointSubnetId,
      privateServiceConnection: {
        name: "file",
        privateConnectionResourceId: this.account.id,
        subresourceNames: ["file"],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [props.privateDnsZoneId] },
      tags: props.tags,
    });

    new Diagnostics(this, "AccountDiagnostics", {
      targetResourceId: this.account.id,
      targetKind: "azurerm_storage_account",
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      logCategoryGroup: null,
    });
    new Diagnostics(this, "FileServiceDiagnostics", {
      targetResourceId: `${this.account.id}/fileServices/default`,
      targetKind: "azurerm_storage_account/fileServices/default",
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
    });

    this.host = `${props.accountName}.file.core.windows.net`;
    this.exportPath = `/${props.accountName}/${shareName}`;
  }
}
