/**
 * Attributes of the load balancer and its pools that provider 5.x reports as
 * changed on every plan (cloudflare/terraform-provider-cloudflare#7339): the
 * optional+computed attributes that PR #7103 lists as lacking
 * `UseStateForUnknown` (open at 5.14), plus `rules`, which Cloudflare's own
 * migration test exempts as a computed refresh (cloudflare/tf-migrate#192).
 * Computed-only attributes (`created_on`, `modified_on`, `zone_name`,
 * `networks` on pools) are left out: `ignore_changes` cannot hold them, and
 * they stop showing once nothing else differs.
 */
export const DRIFTING_ATTRIBUTES = {
  cloudflare_load_balancer: [
    "description",
    "session_affinity_ttl",
    "ttl",
    "country_pools",
    "networks",
    "pop_pools",
    "region_pools",
    "adaptive_routing",
    "location_strategy",
    "random_steering",
    "session_affinity_attributes",
    "rules",
  ],
  cloudflare_load_balancer_pool: ["load_shedding", "notification_filter", "origin_steering"],
} as const;

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The drifting attributes a resource leaves to Cloudflare, for its
 * `ignore_changes`. The ones it sets stay managed (ignoring them would freeze
 * the blueprint's own steering and affinity); those are written out in full
 * instead, so no unset computed field turns the object unknown.
 */
export function unmanagedDrift(type: keyof typeof DRIFTING_ATTRIBUTES, config: object): string[] {
  const set = config as Record<string, unknown>;
  return DRIFTING_ATTRIBUTES[type].filter((attr) => set[camel(attr)] === undefined);
}
