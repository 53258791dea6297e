import { check, PolicyRule } from "../rule";

export const networkZoneRedundantIp: PolicyRule = {
  id: "BP-NET-2",
  level: "error",
  resourceTypes: ["azurerm_public_ip"],
  description: "Public IPs must be Standard SKU, static, and span at least two zones.",
  explanation: "A Standard IP without zones is not zone-redundant; the regional load balancer would die with one zone.",
  evaluate: ({ attributes: a }) => check(a.sku === "Standard" && a.allocation_method === "Static" && Array.isArray(a.zones) && a.zones.length >= 2),
};
