import { check, isUnresolved, PolicyRule } from "../../rule";

const INTERNET = ["*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0"];

function coversHttps(range: string): boolean {
  if (range === "*") return true;
  const [lo, hi] = range.split("-").map(Number);
  return 443 >= lo && 443 <= (hi ?? lo);
}

export const cloudflareOriginLock: PolicyRule = {
  id: "BP-CF-7",
  level: "error",
  resourceTypes: ["azurerm_network_security_rule"],
  description: "No NSG rule may allow HTTPS (443) from the Internet or any source; the origins take 443 only from Cloudflare's ranges and the Azure LB probe.",
  explanation: "A direct path to the origin bypasses Cloudflare's TLS policy, WAF, rate limits and caching, and reveals the origin to scanners.",
  evaluate: ({ attributes: a }) => {
    if (a.direction !== "Inbound" || a.access !== "Allow") return "NOT_APPLICABLE";
    if (!["tcp", "*"].includes(String(a.protocol).toLowerCase())) return "NOT_APPLICABLE";
    const ports: string[] = [a.destination_port_range, ...(Array.isArray(a.destination_port_ranges) ? a.destination_port_ranges : [])].filter(
      (p) => typeof p === "string" && !isUnresolved(p),
    );
    if (!ports.some(coversHttps)) return "NOT_APPLICABLE";
    const sources: string[] = [a.source_address_prefix, ...(Array.isArray(a.source_address_prefixes) ? a.source_address_prefixes : [])].filter(
      (s) => typeof s === "string" && !isUnresolved(s),
    );
    return check(!sources.some((s) => INTERNET.includes(s.toLowerCase())));
  },
};
