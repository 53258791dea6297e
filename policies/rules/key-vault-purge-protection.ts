import { check, PolicyRule } from "../rule";

export const keyVaultPurgeProtection: PolicyRule = {
  id: "BP-KV-1",
  checkovId: "CKV_AZURE_110",
  level: "error",
  resourceTypes: ["azurerm_key_vault"],
  description: "Key Vault must have purge protection and soft delete of at least 7 days.",
  explanation: "Without them a deleted vault, and every secret the VMs boot with, is gone for good.",
  evaluate: ({ attributes: a }) => check(a.purge_protection_enabled === true && Number(a.soft_delete_retention_days ?? 90) >= 7),
};
