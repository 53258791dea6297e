import { block, check, PolicyRule } from "../rule";

export const storagePrivateOnly: PolicyRule = {
  id: "BP-STORAGE-1",
  checkovId: "CKV_AZURE_59",
  level: "error",
  resourceTypes: ["azurerm_storage_account"],
  description: "Storage accounts must disable public network access and default their firewall to Deny.",
  explanation: "NFS shares have no identity-based auth: the network is the only gate (Checkov CKV_AZURE_35 too).",
  evaluate: ({ attributes: a }) => check(a.public_network_access_enabled === false && block(a.network_rules)?.default_action === "Deny"),
};
