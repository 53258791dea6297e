import type { Check } from "../types";
import { readOrProblem } from "../errors";

const ENABLE_LB = "https://developers.cloudflare.com/load-balancing/get-started/enable-load-balancing/";
const SUBSCRIPTIONS_API = "https://developers.cloudflare.com/api/resources/accounts/subresources/subscriptions/methods/get/";
/** Rate plans of the Load Balancing add-on are named after it, e.g. LOAD_BALANCING_BASIC_PLUS, PARTNERS_LOAD_BALANCING. */
const LB_PLAN = /load[\s_-]?balanc/i;
const INACTIVE = ["Cancelled", "Failed", "Expired"];

export const cloudflareLoadBalancing: Check = {
  id: "cloudflare-load-balancing",
  title: "Cloudflare Load Balancing enabled on the account",
  needs: ["cloudflare"],
  sources: [ENABLE_LB, SUBSCRIPTIONS_API, "https://developers.cloudflare.com/tenant/reference/subscriptions/"],
  async run(ctx) {
    const { accountId } = ctx.config.cloudflare;
    const read = await readOrProblem(
      () => ctx.cloudflare.accountSubscriptions(accountId),
      (e) => `cannot read the subscriptions of account ${accountId}: ${e}; give CLOUDFLARE_API_TOKEN Billing Read on the account (${SUBSCRIPTIONS_API})`,
    );
    if (!read.ok) return read.findings;
    const subs = read.value;
    const lb = subs.filter((s) => LB_PLAN.test(`${s.rate_plan?.id ?? ""} ${s.rate_plan?.public_name ?? ""}`));
    const active = lb.find((s) => !INACTIVE.includes(s.state ?? ""));
    if (active) return { problems: [], summary: `${active.rate_plan?.public_name ?? active.rate_plan?.id} (${active.state ?? "state not given"})` };
    const found =
      lb.length > 0
        ? `its Load Balancing subscription is ${lb.map((s) => s.state).join(", ")}`
        : `no Load Balancing subscription among ${subs.length} (${subs.map((s) => s.rate_plan?.id ?? "?").join(", ") || "none"})`;
    return {
      problems: [
        `account ${accountId} cannot create load balancers: ${found}: enable Load Balancing, a paid add-on (dashboard, Load Balancing, Enable: ${ENABLE_LB}); on an Enterprise contract, ask the account team to add it`,
      ],
    };
  },
};
