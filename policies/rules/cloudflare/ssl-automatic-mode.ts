import { check, PolicyRule } from "../../rule";

export const SSL_AUTOMATIC_MODE_URL = "https://developers.cloudflare.com/ssl/origin-configuration/ssl-modes/#automatic-ssltls-default";

export const cloudflareSslAutomaticMode: PolicyRule = {
  id: "BP-CF-8",
  level: "error",
  resourceTypes: ["cloudflare_zone_setting"],
  description: "The zone's encryption mode must be set by hand (`ssl_automatic_mode` = `custom`).",
  explanation:
    `In automatic mode (\`auto\`, the default for new zones) Cloudflare chooses the encryption mode itself (${SSL_AUTOMATIC_MODE_URL}), ` +
    "so the configured Full (strict) is not authoritative. With `custom` the `ssl` setting is what applies.",
  evaluate: ({ attributes: a }) => (a.setting_id !== "ssl_automatic_mode" ? "NOT_APPLICABLE" : check(a.value === "custom")),
};
