import { check, PolicyRule } from "../rule";

export const storageTlsAndKeys: PolicyRule = {
  id: "BP-STORAGE-2",
  checkovId: "CKV_AZURE_44",
  level: "error",
  resourceTypes: ["azurerm_storage_account"],
  description: "Storage accounts must require TLS 1.2, forbid public blobs and disable shared-key access.",
  explanation: "The NFS data path needs no keys; disabling them removes a credential that could leak (CKV2_AZURE_40, CKV_AZURE_190).",
  evaluate: ({ attributes: a }) =>
    check(a.min_tls_version === "TLS1_2" && a.allow_nested_items_to_be_public === false && a.shared_access_key_enabled === false),
};
