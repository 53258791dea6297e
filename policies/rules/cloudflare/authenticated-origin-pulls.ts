import { check, PolicyRule } from "../../rule";

/** Where each kind of Authenticated Origin Pulls is described. */
export const AOP_GLOBAL_URL = "https://developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull/set-up/global/";
export const AOP_ZONE_LEVEL_URL = "https://developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull/set-up/zone-level/";

export const cloudflareAuthenticatedOriginPulls: PolicyRule = {
  id: "BP-CF-3",
  level: "error",
  resourceTypes: ["cloudflare_zone_setting", "cloudflare_authenticated_origin_pulls_settings"],
  description:
    "Global Authenticated Origin Pulls must be on (zone setting `tls_client_auth` = `on`); zone-level AOP (`cloudflare_authenticated_origin_pulls_settings`) must not be enabled.",
  explanation:
    "The origins trust Cloudflare's shared origin-pull CA, whose certificate Cloudflare presents only with global AOP " +
    `(${AOP_GLOBAL_URL}). Zone-level AOP presents a certificate uploaded for the zone instead (${AOP_ZONE_LEVEL_URL}), ` +
    "so every request would fail the origins' client check with 403. A fork that uploads its own certificate and changes the origins' trust suppresses this rule with that reason.",
  evaluate: ({ type, attributes: a }) => {
    if (type === "cloudflare_authenticated_origin_pulls_settings") return check(a.enabled !== true);
    return a.setting_id !== "tls_client_auth" ? "NOT_APPLICABLE" : check(a.value === "on");
  },
};
