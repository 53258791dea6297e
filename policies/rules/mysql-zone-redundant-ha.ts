import { block, check, PolicyRule } from "../rule";

export const mysqlZoneRedundantHa: PolicyRule = {
  id: "BP-MYSQL-2",
  level: "error",
  resourceTypes: ["azurerm_mysql_flexible_server"],
  description: "The primary MySQL server must have ZoneRedundant HA with the standby in another zone, and ignore zone drift.",
  explanation: "Zone-redundant HA gives RPO 0 and 60-120 s failover on a zone loss; zones flip on failover, so Terraform must not fight them.",
  evaluate: ({ attributes: a }) => {
    if (a.create_mode === "Replica") return "NOT_APPLICABLE";
    const ha = block(a.high_availability);
    const ignoreChanges = block(a.lifecycle)?.ignore_changes;
    const ignored: unknown[] = Array.isArray(ignoreChanges) ? ignoreChanges : [];
    return check(
      ha?.mode === "ZoneRedundant" &&
        ha.standby_availability_zone !== undefined &&
        ha.standby_availability_zone !== a.zone &&
        ignored.includes("zone") &&
        ignored.some((i) => String(i).includes("standby_availability_zone")),
    );
  },
};
