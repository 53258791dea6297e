import { block, check, PolicyRule } from "../rule";

export const storageShareSoftDelete: PolicyRule = {
  id: "BP-STORAGE-4",
  level: "error",
  resourceTypes: ["azurerm_storage_account"],
  description: "File-share soft delete must be on for at least 7 days.",
  explanation: "Checkov has no share check; soft delete is the undo for a deleted share.",
  evaluate: ({ attributes: a }) => {
    if (a.account_kind !== "FileStorage" && a.account_kind !== "StorageV2") return "NOT_APPLICABLE";
    const days = block(block(a.share_properties)?.retention_policy)?.days;
    return check(typeof days === "number" && days >= 7);
  },
};
