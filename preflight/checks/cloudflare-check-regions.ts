import type { Check } from "../types";
import { readOrProblem } from "../errors";

const REGIONS_API = "https://developers.cloudflare.com/api/resources/load_balancers/subresources/regions/methods/list/";

function regionCodes(result: unknown): string[] {
  const regions = (result as { regions?: Array<{ region_code?: string }> } | null)?.regions;
  return Array.isArray(regions) ? regions.map((r) => r.region_code).filter((c): c is string => typeof c === "string") : [];
}

export const cloudflareCheckRegions: Check = {
  id: "cloudflare-check-regions",
  title: "Cloudflare health-check regions offered to the account",
  needs: ["cloudflare"],
  sources: [REGIONS_API, "https://developers.cloudflare.com/load-balancing/monitors/#health-monitor-regions"],
  async run(ctx) {
    const { accountId } = ctx.config.cloudflare;
    const read = await readOrProblem(
      () => ctx.cloudflare.loadBalancingRegions(accountId),
      (e) =>
        `cannot list Load Balancing regions of account ${accountId}: ${e}; give CLOUDFLARE_API_TOKEN Load Balancing: Monitors and Pools Read (${REGIONS_API})`,
    );
    if (!read.ok) return read.findings;
    const offered = regionCodes(read.value);
    const problems: string[] = [];
    for (const key of ["primary", "secondary"] as const) {
      for (const code of ctx.config.regions[key].cloudflareCheckRegions) {
        if (!offered.includes(code)) {
          problems.push(
            `regions.${key}.cloudflareCheckRegions has '${code}', which the account's Load Balancing regions do not include (${offered.join(", ") || "none"}): use one of those`,
          );
        }
      }
    }
    const used = [...new Set([...ctx.config.regions.primary.cloudflareCheckRegions, ...ctx.config.regions.secondary.cloudflareCheckRegions])];
    return { problems, summary: `${used.join(", ")} offered` };
  },
};
