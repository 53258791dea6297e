import { check, isUnresolved, PolicyRule } from "../../rule";

export const cloudflareLoadBalancerFailover: PolicyRule = {
  id: "BP-CF-4",
  level: "error",
  resourceTypes: ["cloudflare_load_balancer"],
  description: "The load balancer must be proxied, list at least two default pools and name a fallback pool.",
  explanation: "Proxied steering fails over at the edge without waiting for DNS caches, and a second pool plus a fallback is what lets a region fail.",
  evaluate: ({ attributes: a }) => {
    const pools = a.default_pools;
    // A whole-list token is only known at plan time; judge the parts we can see.
    const enoughPools = isUnresolved(pools) || (Array.isArray(pools) && new Set(pools).size >= 2);
    const fallback = typeof a.fallback_pool === "string" && a.fallback_pool.length > 0;
    return check(a.proxied === true && enoughPools && fallback);
  },
};
