import { check, PolicyRule } from "../rule";

export const mysqlGeoBackup: PolicyRule = {
  id: "BP-MYSQL-1",
  checkovId: "CKV_AZURE_94",
  level: "error",
  resourceTypes: ["azurerm_mysql_flexible_server"],
  description: "MySQL must keep geo-redundant backups for at least 30 days.",
  explanation: "Geo-redundant backup is create-time only; it is the last resort when both the region and the replica are lost.",
  evaluate: ({ attributes: a }) =>
    a.create_mode === "Replica" ? "NOT_APPLICABLE" : check(a.geo_redundant_backup_enabled === true && Number(a.backup_retention_days ?? 7) >= 30),
};
