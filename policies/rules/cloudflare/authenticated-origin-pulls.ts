import { check, PolicyRule } from "../../rule";

export const cloudflareAuthenticatedOriginPulls: PolicyRule = {
  id: "BP-CF-3",
  level: "error",
  resourceTypes: ["cloudflare_authenticated_origin_pulls_settings"],
  description: "Zone-level Authenticated Origin Pulls must be enabled.",
  explanation: "Cloudflare then presents a client certificate on every origin connection, so the origins can refuse TLS from anything that is not Cloudflare.",
  evaluate: ({ attributes: a }) => check(a.enabled === true),
};
