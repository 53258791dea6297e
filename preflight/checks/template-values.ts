import { cidrContains, parseCidr } from "../../config/cidr";
import type { BlueprintConfig } from "../../config";
import type { Check } from "../types";

const RFC2606 = "https://www.rfc-editor.org/rfc/rfc2606";
const RFC5737 = "https://www.rfc-editor.org/rfc/rfc5737";

/** Names reserved for documentation (RFC 2606) or fictitious by design (Microsoft's Contoso): never a real zone. */
const EXAMPLE_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost|contoso\.com)$/;
/** IPv4 ranges reserved for documentation (RFC 5737): no runner egresses from them. */
const DOCUMENTATION_RANGES = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"];
/** The IDs the shipped environment templates use. */
const TEMPLATE_IDS = new Set(["00000000-0000-0000-0000-000000000000", "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"]);

function inDocumentationRange(cidr: string): string | undefined {
  const c = parseCidr(cidr);
  return c && DOCUMENTATION_RANGES.find((range) => cidrContains(parseCidr(range)!, c));
}

const domainOf = (value: string) =>
  value
    .replace(/^https:\/\//, "")
    .replace(/^[^@]*@/, "")
    .replace(/[/:].*$/, "");

/** Every template value left in a config, as "field: value: why; fix". */
export function templateValues(config: BlueprintConfig): string[] {
  const problems: string[] = [];
  for (const [field, value] of [
    ["azure.subscriptionId", config.azure.subscriptionId],
    ["azure.tenantId", config.azure.tenantId],
  ] as const) {
    if (TEMPLATE_IDS.has(value)) problems.push(`${field}: '${value}' is the template's placeholder; set your Azure ${field.split(".")[1]}`);
  }
  for (const [field, value] of [
    ["cloudflare.accountId", config.cloudflare.accountId],
    ["cloudflare.zoneId", config.cloudflare.zoneId],
  ] as const) {
    if (/^(.)\1+$/.test(value))
      problems.push(`${field}: '${value}' is one character repeated, the template's placeholder; copy the ID from the Cloudflare dashboard`);
  }
  for (const [field, value] of [
    ["hostname", config.hostname],
    ["cloudflare.zoneName", config.cloudflare.zoneName],
    ["matomo.siteUrl", config.matomo.siteUrl],
    ["matomo.superUserEmail", config.matomo.superUserEmail],
    ["alerts.email", config.alerts.email],
  ] as const) {
    if (EXAMPLE_DOMAIN.test(domainOf(value))) problems.push(`${field}: '${value}' is under a documentation or fictitious domain (${RFC2606}); use your own`);
  }
  for (const cidr of config.keyVault.allowedCidrs) {
    const range = inDocumentationRange(cidr);
    if (range)
      problems.push(`keyVault.allowedCidrs: '${cidr}' is inside ${range}, reserved for documentation (${RFC5737}); list your runners' real egress range`);
  }
  if (/\breplace-me\b/i.test(config.admin.sshPublicKey))
    problems.push("admin.sshPublicKey: the template's key (comment 'replace-me'); paste the public key of your break-glass admin");
  return problems;
}

/**
 * A template value that reaches Azure or Cloudflare either fails late (an unknown subscription or zone) or,
 * worse, deploys: alerts to nobody, a Key Vault open to no runner, an admin key nobody holds. Runs offline.
 */
export const templateValuesCheck: Check = {
  id: "template-values",
  title: "No value of the shipped templates is left in the config",
  needs: [],
  sources: [RFC2606, RFC5737],
  async run(ctx) {
    const problems = templateValues(ctx.config);
    return problems.length ? { problems } : { problems, summary: "no placeholder IDs, documentation domains or ranges, or template key" };
  },
};
