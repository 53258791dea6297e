import { check, dependsOn, PolicyRule } from "../rule";

export const mysqlReplicaAfterSource: PolicyRule = {
  id: "BP-MYSQL-5",
  level: "error",
  resourceTypes: ["azurerm_mysql_flexible_server"],
  description:
    "A replica must be created after its source's server parameters (the data-stack test also pins its wait for the database, which a promoted source no longer manages).",
  explanation:
    "Creating the first replica restarts the source and copies its parameters; parameters or a database still being applied to the source then fail or never reach the replica " +
    "(https://learn.microsoft.com/azure/mysql/flexible-server/concepts-read-replicas, the same race fixed for PostgreSQL in https://github.com/hashicorp/terraform-provider-azurerm/pull/29337).",
  evaluate: ({ attributes: a }) => {
    // A promoted replica keeps create_mode but has no source any more: nothing is created from it.
    if (a.create_mode !== "Replica" || a.source_server_id === undefined) return "NOT_APPLICABLE";
    return check(dependsOn(a).some((d) => d.startsWith("azurerm_mysql_flexible_server_configuration.")));
  },
};
