import { check, PolicyRule } from "../../rule";

const ACCEPTED = ["1.2", "1.3"];

export const cloudflareMinTls: PolicyRule = {
  id: "BP-CF-2",
  level: "error",
  resourceTypes: ["cloudflare_zone_setting"],
  description: "The zone's minimum TLS version must be 1.2 or higher.",
  explanation: "Cloudflare's default minimum is TLS 1.0; TLS 1.0/1.1 are deprecated (RFC 8996) and fail PCI DSS and MCSB NS-8.",
  evaluate: ({ attributes: a }) => (a.setting_id !== "min_tls_version" ? "NOT_APPLICABLE" : check(ACCEPTED.includes(String(a.value)))),
};
