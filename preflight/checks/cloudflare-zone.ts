import type { Check } from "../types";
import { readOrProblem } from "../errors";

const ZONE_API = "https://developers.cloudflare.com/api/resources/zones/methods/get/";

/** The plan tier of a zone: `legacy_id` is free/pro/business/enterprise; partner plans only say it in the name. */
export function planTier(plan: { legacy_id?: string; name?: string } | undefined): string {
  const id = plan?.legacy_id?.toLowerCase();
  if (id && ["free", "pro", "business", "enterprise"].includes(id)) return id;
  const name = plan?.name?.toLowerCase() ?? "";
  return ["enterprise", "business", "pro", "free"].find((t) => name.includes(t)) ?? (id || "unknown");
}

export const cloudflareZone: Check = {
  id: "cloudflare-zone",
  title: "Cloudflare zone, its account and plan",
  needs: ["cloudflare"],
  sources: [ZONE_API, "https://developers.cloudflare.com/load-balancing/reference/limitations/"],
  async run(ctx) {
    const { zoneId, zoneName, accountId, plan } = ctx.config.cloudflare;
    const read = await readOrProblem(
      () => ctx.cloudflare.zone(zoneId),
      (e) => `zone ${zoneId} cannot be read: ${e}; check cloudflare.zoneId, and that CLOUDFLARE_API_TOKEN has Zone Read on it (${ZONE_API})`,
    );
    if (!read.ok) return read.findings;
    const zone = read.value;
    const problems: string[] = [];
    if (zone.name !== zoneName) problems.push(`zone ${zoneId} is '${zone.name}', not '${zoneName}': fix cloudflare.zoneId or cloudflare.zoneName`);
    if (zone.account?.id !== accountId) {
      problems.push(
        `zone ${zone.name} belongs to account ${zone.account?.id ?? "(unknown)"}${zone.account?.name ? ` (${zone.account.name})` : ""}, not cloudflare.accountId ${accountId}: pools and monitors are created in cloudflare.accountId, so set it to the zone's account`,
      );
    }
    const tier = planTier(zone.plan);
    if (tier !== plan) {
      problems.push(
        `zone ${zone.name} is on the '${tier}' plan (${zone.plan?.name ?? "no plan name"}), config says cloudflare.plan = '${plan}': set cloudflare.plan = '${tier}' (it bounds the monitor interval and steering), or change the zone's plan`,
      );
    }
    if (zone.status && zone.status !== "active") {
      problems.push(
        `zone ${zone.name} is '${zone.status}', not active: finish onboarding (name servers) before deploying, or the proxied host name will not serve`,
      );
    }
    return { problems, summary: `${zone.name} (${zoneId}) on the ${tier} plan, in account ${accountId}` };
  },
};
