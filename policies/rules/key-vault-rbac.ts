import { check, PolicyRule } from "../rule";

export const keyVaultRbac: PolicyRule = {
  id: "BP-KV-2",
  level: "error",
  resourceTypes: ["azurerm_key_vault"],
  description: "Key Vault must use Azure RBAC authorization, not access policies.",
  explanation: "RBAC lets each VM identity read only the secrets it needs, and access is reviewed like any other role.",
  evaluate: ({ attributes: a }) => check(a.rbac_authorization_enabled === true),
};
