import { block, check, PolicyRule } from "../rule";

export const keyVaultNetworkDeny: PolicyRule = {
  id: "BP-KV-3",
  checkovId: "CKV_AZURE_109",
  level: "error",
  resourceTypes: ["azurerm_key_vault"],
  description: "Key Vault network ACLs must default to Deny.",
  explanation: "Only the VNets' subnets and the listed CI ranges may reach the secrets' data plane.",
  evaluate: ({ attributes: a }) => check(a.public_network_access_enabled === false || block(a.network_acls)?.default_action === "Deny"),
};
