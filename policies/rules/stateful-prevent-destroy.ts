import { block, check, PolicyRule } from "../rule";

export const STATEFUL_TYPES = ["azurerm_mysql_flexible_server", "azurerm_storage_account", "azurerm_storage_share", "azurerm_key_vault"] as const;

export const statefulPreventDestroy: PolicyRule = {
  id: "BP-STATE-1",
  level: "error",
  resourceTypes: STATEFUL_TYPES,
  description: "Stateful resources must set lifecycle.prevent_destroy.",
  explanation: "A plan that would replace or delete the database, the shares or the vault must fail instead of losing data.",
  evaluate: ({ attributes: a }) => check(block(a.lifecycle)?.prevent_destroy === true),
};
