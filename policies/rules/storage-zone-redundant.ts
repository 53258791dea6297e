import { check, PolicyRule } from "../rule";

export const storageZoneRedundant: PolicyRule = {
  id: "BP-STORAGE-3",
  level: "error",
  resourceTypes: ["azurerm_storage_account"],
  description: "Storage accounts must be zone-redundant (ZRS, GZRS or RA-GZRS).",
  explanation: "A zone loss must not take the shared Matomo files with it; premium NFS supports ZRS at most.",
  evaluate: ({ attributes: a }) => check(["ZRS", "GZRS", "RAGZRS"].includes(String(a.account_replication_type))),
};
