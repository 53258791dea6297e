import { check, PolicyRule } from "../rule";

export const mysqlReplicaAfterSource: PolicyRule = {
  id: "BP-MYSQL-5",
  level: "error",
  resourceTypes: ["azurerm_mysql_flexible_server"],
  description: "A replica must be created after its source's server parameters and database.",
  explanation:
    "Creating the first replica restarts the source and copies its parameters; parameters or a database still being applied to the source then fail or never reach the replica " +
    "(https://learn.microsoft.com/azure/mysql/flexible-server/concepts-read-replicas, the same race fixed for PostgreSQL in https://github.com/hashicorp/terraform-provider-azurerm/pull/29337).",
  evaluate: ({ attributes: a }) => {
    if (a.create_mode !== "Replica") return "NOT_APPLICABLE";
    const deps: string[] = Array.isArray(a.depends_on) ? a.depends_on.map(String) : [];
    return check(deps.some((d) => d.startsWith("azurerm_mysql_flexible_server_configuration.")) && deps.some((d) => d.startsWith("azurerm_mysql_flexible_database.")));
  },
};
