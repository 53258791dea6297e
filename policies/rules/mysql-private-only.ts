import { check, PolicyRule } from "../rule";

export const mysqlPrivateOnly: PolicyRule = {
  id: "BP-MYSQL-3",
  level: "error",
  resourceTypes: ["azurerm_mysql_flexible_server"],
  description: "MySQL must be VNet-integrated (delegated subnet + private DNS zone) with public access off.",
  explanation: "The database is reachable only from the blueprint's VNets; there is no firewall rule to get wrong.",
  evaluate: ({ attributes: a }) => check(Boolean(a.delegated_subnet_id) && Boolean(a.private_dns_zone_id) && a.public_network_access !== "Enabled"),
};
