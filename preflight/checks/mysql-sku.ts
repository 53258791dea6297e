import type { CapabilityProperties } from "@azure/arm-mysql-flexible";
import type { Check } from "../types";
import { describeError } from "../errors";
import { resolveSizing } from "../../modules/common/sizing";

const HA = "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-high-availability";
const REPLICAS = "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-read-replicas";

/** Terraform's `GP_`/`MO_` prefix to the edition names of the capabilities API (Business Critical was Memory Optimized). */
export function parseMysqlSku(skuName: string): { editions: string[]; name: string } {
  const m = /^(B|GP|MO)_(.+)$/.exec(skuName);
  const editions = m?.[1] === "GP" ? ["GeneralPurpose"] : m?.[1] === "MO" ? ["MemoryOptimized", "BusinessCritical"] : ["Burstable"];
  return { editions, name: m?.[2] ?? skuName };
}

/** Whether a capability entry offers the SKU for the server version (any version when the API does not list it). */
function offers(entry: CapabilityProperties, skuName: string, version: string): boolean {
  const { editions, name } = parseMysqlSku(skuName);
  const versions = (entry.supportedFlexibleServerEditions ?? []).filter((e) => editions.includes(e.name ?? "")).flatMap((e) => e.supportedServerVersions ?? []);
  const exact = versions.filter((v) => v.name === version);
  return (exact.length > 0 ? exact : versions).some((v) => (v.supportedSkus ?? []).some((s) => s.name === name));
}

function entryFor(caps: readonly CapabilityProperties[], zone: string): CapabilityProperties | undefined {
  return caps.find((c) => c.zone === zone) ?? caps.find((c) => c.zone === "none");
}

export const mysqlSku: Check = {
  id: "mysql-sku",
  title: "MySQL SKU with zone-redundant HA (primary) and replicas (secondary)",
  needs: ["azure"],
  sources: ["https://learn.microsoft.com/rest/api/mysql/flexibleserver/location-based-capabilities/list", HA, REPLICAS],
  async run(ctx) {
    const { mysql, regions } = ctx.config;
    const sku = resolveSizing(ctx.config).mysqlSkuName;
    const field = mysql.skuName ? "mysql.skuName" : "size";
    const problems: string[] = [];
    const primary = regions.primary.location;
    try {
      const caps = await ctx.azure.mysqlCapabilities(primary);
      for (const [zone, role] of [
        [mysql.primaryZone, "mysql.primaryZone"],
        [mysql.standbyZone, "mysql.standbyZone"],
      ] as const) {
        const entry = entryFor(caps, zone);
        if (!entry || !offers(entry, sku, mysql.version)) {
          problems.push(`${sku} (MySQL ${mysql.version}) is not offered in ${primary} zone ${zone} (${role}): pick another SKU (${field}) or zone (${role})`);
        }
      }
      const modes = entryFor(caps, mysql.primaryZone)?.supportedHAMode ?? [];
      if (!modes.includes("ZoneRedundant")) {
        problems.push(
          `${primary} does not offer zone-redundant HA for MySQL flexible servers (supportedHAMode: ${modes.join(", ") || "none"}): choose a primary region that does (regions.primary.location) (${HA})`,
        );
      }
    } catch (err) {
      problems.push(`cannot read MySQL capabilities in ${primary}: ${describeError(err)}`);
    }
    if (mysql.readReplica) {
      const secondary = regions.secondary.location;
      try {
        const caps = await ctx.azure.mysqlCapabilities(secondary);
        if (!caps.some((c) => offers(c, sku, mysql.version))) {
          problems.push(
            `${sku} (MySQL ${mysql.version}) is not offered in ${secondary}, so the read replica (same SKU) cannot be created there: pick another SKU (${field}) or secondary region (regions.secondary.location) (${REPLICAS})`,
          );
        }
      } catch (err) {
        problems.push(`cannot read MySQL capabilities in ${secondary}: ${describeError(err)}`);
      }
    }
    const replica = mysql.readReplica ? `, replica in ${regions.secondary.location}` : " (mysql.readReplica = false: no replica checked)";
    return { problems, summary: `${sku} with zone-redundant HA in ${primary} zones ${mysql.primaryZone}/${mysql.standbyZone}${replica}` };
  },
};
