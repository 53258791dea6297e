import { check, PolicyRule } from "../../rule";

export const cloudflarePoolHealth: PolicyRule = {
  id: "BP-CF-6",
  level: "error",
  resourceTypes: ["cloudflare_load_balancer_pool"],
  description: "Each pool must have a monitor, at least one origin and minimum_origins >= 1.",
  explanation: "Without a monitor Cloudflare ignores health and never fails over; minimum_origins 0 would keep an empty pool in service.",
  evaluate: ({ attributes: a }) => {
    const monitored = [a.monitor, a.monitor_group].some((m) => typeof m === "string" && m.length > 0);
    const origins = Array.isArray(a.origins) ? a.origins.length : typeof a.origins === "string" ? 1 : 0;
    const minimum = a.minimum_origins === undefined ? 1 : Number(a.minimum_origins); // provider default is 1
    return check(monitored && origins >= 1 && minimum >= 1);
  },
};
