import { check, PolicyRule } from "../../rule";

export const MONITOR_SIMULATE_ZONE_URL = "https://developers.cloudflare.com/load-balancing/monitors/create-monitor/";

export const cloudflareMonitorHttps: PolicyRule = {
  id: "BP-CF-5",
  level: "error",
  resourceTypes: ["cloudflare_load_balancer_monitor"],
  description:
    "Health monitors must use HTTPS, expect exactly 200, validate the origin certificate (allow_insecure not true) and probe as the zone (probe_zone set).",
  explanation:
    "The check must travel the same TLS path as visitors: an expired or wrong origin certificate, a redirect or error page, or a missing " +
    'Authenticated Origin Pulls certificate has to mark the origin down. Only a monitor with `probe_zone` ("Simulate Zone") goes through ' +
    `the zone's settings and presents the client certificate (${MONITOR_SIMULATE_ZONE_URL}).`,
  evaluate: ({ attributes: a }) =>
    check(a.type === "https" && String(a.expected_codes) === "200" && a.allow_insecure !== true && typeof a.probe_zone === "string" && a.probe_zone.length > 0),
};
