import { check, INTERNET_SOURCES, nsgRuleEndpoints, PolicyRule, portRangeCovers } from "../../rule";

export const cloudflareOriginLock: PolicyRule = {
  id: "BP-CF-7",
  level: "error",
  resourceTypes: ["azurerm_network_security_rule"],
  description: "No NSG rule may allow HTTPS (443) from the Internet or any source; the origins take 443 only from Cloudflare's ranges and the Azure LB probe.",
  explanation: "A direct path to the origin bypasses Cloudflare's TLS policy, WAF, rate limits and caching, and reveals the origin to scanners.",
  evaluate: ({ attributes: a }) => {
    if (a.direction !== "Inbound" || a.access !== "Allow") return "NOT_APPLICABLE";
    if (!["tcp", "*"].includes(String(a.protocol).toLowerCase())) return "NOT_APPLICABLE";
    const { sources, ports } = nsgRuleEndpoints(a);
    if (!ports.some((p) => portRangeCovers(p, 443))) return "NOT_APPLICABLE";
    return check(!sources.some((s) => INTERNET_SOURCES.includes(s.toLowerCase())));
  },
};
