import type { Check } from "../types";
import { describeError } from "../errors";
import { REGIONS, findSku, vmNeeds, zoneRestriction } from "../compute";

const SKU_NOT_AVAILABLE = "https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-sku-not-available";

/** How to get past a restriction, by the reason code the Resource SKUs API gives. */
function remedy(reason: string, field: string, zonesField: string): string {
  if (reason.includes("NotAvailableForSubscription")) {
    return `ask Azure support to enable the size for the subscription (${SKU_NOT_AVAILABLE}), or choose another VM size (${field}), or remove the zone from ${zonesField}`;
  }
  if (reason.includes("QuotaId")) return `the subscription's offer type cannot use this size: choose another VM size (${field})`;
  return `choose another VM size (${field}) or remove the zone from ${zonesField} (${SKU_NOT_AVAILABLE})`;
}

export const vmSizes: Check = {
  id: "vm-sizes",
  title: "VM sizes offered in every configured zone",
  needs: ["azure"],
  sources: ["https://learn.microsoft.com/rest/api/compute/resource-skus/list", SKU_NOT_AVAILABLE],
  async run(ctx) {
    const problems: string[] = [];
    const checked: string[] = [];
    for (const region of REGIONS) {
      const { location, zones } = ctx.config.regions[region];
      const zonesField = `regions.${region}.zones`;
      let skus;
      try {
        skus = await ctx.azure.vmSkus(location);
      } catch (err) {
        problems.push(`cannot list VM sizes in ${location}: ${describeError(err)}`);
        continue;
      }
      const seen = new Set<string>();
      for (const need of vmNeeds(ctx.config, region)) {
        if (seen.has(need.sku)) continue;
        seen.add(need.sku);
        const sharing = vmNeeds(ctx.config, region).filter((n) => n.sku === need.sku);
        const roles = sharing.map((n) => n.role).join(" and ");
        const field = [...new Set(sharing.map((n) => n.field))].join(", ");
        const sku = findSku(skus, need.sku);
        if (!sku) {
          problems.push(
            `${need.sku} (${roles}) is not offered in ${location} (${region}): choose another VM size (${field}) or region (regions.${region}.location) (${SKU_NOT_AVAILABLE})`,
          );
          continue;
        }
        const reasons = zones.map((z) => zoneRestriction(sku, location, z)).filter((r): r is string => r !== undefined);
        const whole = reasons.find((r) => r.includes("whole region"));
        for (const reason of whole ? [whole] : reasons) {
          problems.push(`${need.sku} (${roles}) is ${reason} in ${location} (${region}): ${remedy(reason, field, zonesField)}`);
        }
        checked.push(`${need.sku} in ${location} zones ${zones.join(",")}`);
      }
    }
    return { problems, summary: checked.join("; ") };
  },
};
