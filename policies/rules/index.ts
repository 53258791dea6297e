import { PolicyRule } from "../rule";
import { keyVaultPurgeProtection } from "./key-vault-purge-protection";
import { keyVaultRbac } from "./key-vault-rbac";
import { keyVaultNetworkDeny } from "./key-vault-network-deny";
import { mysqlGeoBackup } from "./mysql-geo-backup";
import { mysqlZoneRedundantHa } from "./mysql-zone-redundant-ha";
import { mysqlPrivateOnly } from "./mysql-private-only";
import { mysqlSecureTransport } from "./mysql-secure-transport";
import { statefulPreventDestroy } from "./stateful-prevent-destroy";
import { storagePrivateOnly } from "./storage-private-only";
import { storageTlsAndKeys } from "./storage-tls-and-keys";
import { storageZoneRedundant } from "./storage-zone-redundant";
import { storageShareSoftDelete } from "./storage-share-soft-delete";
import { networkNoInternetAdmin } from "./network-no-internet-admin";
import { networkZoneRedundantIp } from "./network-zone-redundant-ip";
import { networkSubnetEgress } from "./network-subnet-egress";
import { vmSshKeyOnly } from "./vm-ssh-key-only";
import { vmEncryptionAtHost } from "./vm-encryption-at-host";
import { vmNoPublicIp } from "./vm-no-public-ip";
import { vmNoSecretInCustomData } from "./vm-no-secret-in-custom-data";
import { vmssZoneResilient } from "./vmss-zone-resilient";
import { vmssZoneBestEffort } from "./vmss-zone-best-effort";
import { vmEgressBeforeBoot } from "./vm-egress-before-boot";
import { mysqlReplicaAfterSource } from "./mysql-replica-after-source";
import { diagnosticsMetricCategories } from "./diagnostics-metric-categories";
import { CLOUDFLARE_RULES } from "./cloudflare";

/** Every rule of the pack; a new rule file is listed here. */
export const ALL_RULES: readonly PolicyRule[] = [
  keyVaultPurgeProtection,
  keyVaultRbac,
  keyVaultNetworkDeny,
  mysqlGeoBackup,
  mysqlZoneRedundantHa,
  mysqlPrivateOnly,
  mysqlSecureTransport,
  statefulPreventDestroy,
  storagePrivateOnly,
  storageTlsAndKeys,
  storageZoneRedundant,
  storageShareSoftDelete,
  networkNoInternetAdmin,
  networkZoneRedundantIp,
  networkSubnetEgress,
  vmSshKeyOnly,
  vmEncryptionAtHost,
  vmNoPublicIp,
  vmNoSecretInCustomData,
  vmssZoneResilient,
  vmssZoneBestEffort,
  vmEgressBeforeBoot,
  mysqlReplicaAfterSource,
  diagnosticsMetricCategories,
  ...CLOUDFLARE_RULES,
];
