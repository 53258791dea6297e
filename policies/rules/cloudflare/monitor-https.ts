import { check, PolicyRule } from "../../rule";

export const cloudflareMonitorHttps: PolicyRule = {
  id: "BP-CF-5",
  level: "error",
  resourceTypes: ["cloudflare_load_balancer_monitor"],
  description: "Health monitors must use HTTPS, expect exactly 200 and validate the origin certificate (allow_insecure not true).",
  explanation: "The check must travel the same TLS path as visitors: an expired or wrong origin certificate, or a redirect or error page, has to mark the origin down.",
  evaluate: ({ attributes: a }) => check(a.type === "https" && String(a.expected_codes) === "200" && a.allow_insecure !== true),
};
