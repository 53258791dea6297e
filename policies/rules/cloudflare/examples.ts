import { ResourceView } from "../../rule";

const view = (type: string, attributes: Record<string, unknown>): ResourceView => ({ type, attributes });

const lb = {
  proxied: true,
  default_pools: ["${cloudflare_load_balancer_pool.a.id}", "${cloudflare_load_balancer_pool.b.id}"],
  fallback_pool: "${cloudflare_load_balancer_pool.b.id}",
};
const monitor = { type: "https", expected_codes: "200", allow_insecure: false, path: "/healthz", probe_zone: "example.com" };
const pool = { monitor: "${cloudflare_load_balancer_monitor.m.id}", minimum_origins: 1, origins: [{ address: "${azurerm_public_ip.p.ip_address}" }] };
const cfRule = {
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  destination_port_range: "443",
  source_address_prefixes: "${data.cloudflare_ip_ranges.cf.ipv4_cidrs}",
};

/**
 * One compliant and one non-compliant resource per rule: the documentation of
 * what each rule accepts, and the fixtures the rule tests run.
 */
export const CLOUDFLARE_RULE_EXAMPLES: Readonly<Record<string, [ResourceView, ResourceView]>> = {
  "BP-CF-1": [view("cloudflare_zone_setting", { setting_id: "ssl", value: "strict" }), view("cloudflare_zone_setting", { setting_id: "ssl", value: "full" })],
  "BP-CF-2": [
    view("cloudflare_zone_setting", { setting_id: "min_tls_version", value: "1.2" }),
    view("cloudflare_zone_setting", { setting_id: "min_tls_version", value: "1.0" }),
  ],
  "BP-CF-3": [
    view("cloudflare_zone_setting", { setting_id: "tls_client_auth", value: "on" }),
    // Zone-level AOP presents an uploaded certificate, not the shared one the origins trust.
    view("cloudflare_authenticated_origin_pulls_settings", { enabled: true }),
  ],
  "BP-CF-4": [view("cloudflare_load_balancer", lb), view("cloudflare_load_balancer", { ...lb, default_pools: [lb.default_pools[0]] })],
  "BP-CF-5": [view("cloudflare_load_balancer_monitor", monitor), view("cloudflare_load_balancer_monitor", { ...monitor, allow_insecure: true })],
  "BP-CF-6": [view("cloudflare_load_balancer_pool", pool), view("cloudflare_load_balancer_pool", { ...pool, monitor: undefined })],
  "BP-CF-7": [
    view("azurerm_network_security_rule", cfRule),
    view("azurerm_network_security_rule", { ...cfRule, source_address_prefixes: undefined, source_address_prefix: "Internet" }),
  ],
  "BP-CF-8": [
    view("cloudflare_zone_setting", { setting_id: "ssl_automatic_mode", value: "custom" }),
    view("cloudflare_zone_setting", { setting_id: "ssl_automatic_mode", value: "auto" }),
  ],
};
