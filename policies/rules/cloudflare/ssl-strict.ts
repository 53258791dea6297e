import { check, PolicyRule } from "../../rule";

export const cloudflareSslStrict: PolicyRule = {
  id: "BP-CF-1",
  level: "error",
  resourceTypes: ["cloudflare_zone_setting"],
  description: "The zone's SSL mode must be Full (strict) (`ssl` = `strict`).",
  explanation:
    "Only strict mode makes Cloudflare validate the origin certificate; below it Authenticated Origin Pulls is not applied and traffic to the origin can be intercepted.",
  evaluate: ({ attributes: a }) => (a.setting_id !== "ssl" ? "NOT_APPLICABLE" : check(a.value === "strict")),
};
