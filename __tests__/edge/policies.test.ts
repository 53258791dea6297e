import { Aspects, TerraformStack, Testing } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { ZoneSetting } from "@cdktf/provider-cloudflare/lib/zone-setting";
import { AuthenticatedOriginPullsSettings } from "@cdktf/provider-cloudflare/lib/authenticated-origin-pulls-settings";
import { CLOUDFLARE_RULE_EXAMPLES, CLOUDFLARE_RULES } from "../../policies/rules/cloudflare";
import { ALL_RULES } from "../../policies/rules";
import { ResourceView } from "../../policies/rule";
import { BlueprintChecks } from "../../policies/pack";
import { suppressRule } from "../../policies/suppressions";

const rule = (id: string) => CLOUDFLARE_RULES.find((r) => r.id === id)!;
const view = (type: string, attributes: Record<string, any>): ResourceView => ({ type, attributes });

describe.each(CLOUDFLARE_RULES.map((r) => [r.id, r] as const))("%s", (id, r) => {
  test("passes its compliant example", () => {
    const [good] = CLOUDFLARE_RULE_EXAMPLES[id];
    expect(r.resourceTypes).toContain(good.type);
    expect(r.evaluate(good)).toBe("COMPLIANT");
  });
  test("fails its non-compliant example", () => {
    expect(r.evaluate(CLOUDFLARE_RULE_EXAMPLES[id][1])).toBe("NON_COMPLIANT");
  });
  test("is an error with a reason", () => {
    expect(r.level).toBe("error");
    expect(r.description.length).toBeGreaterThan(20);
    expect(r.explanation.length).toBeGreaterThan(20);
  });
});

test("IDs are unique across the whole pack and every example belongs to a rule", () => {
  const ids = CLOUDFLARE_RULES.map((r) => r.id);
  expect(Object.keys(CLOUDFLARE_RULE_EXAMPLES).sort()).toEqual([...ids].sort());
  const others = ALL_RULES.filter((r) => !CLOUDFLARE_RULES.includes(r)).map((r) => r.id);
  expect(ids.filter((id) => others.includes(id))).toEqual([]);
});

describe("edge cases", () => {
  test("zone-setting rules ignore other settings", () => {
    const other = view("cloudflare_zone_setting", { setting_id: "always_use_https", value: "on" });
    expect(rule("BP-CF-1").evaluate(other)).toBe("NOT_APPLICABLE");
    expect(rule("BP-CF-2").evaluate(other)).toBe("NOT_APPLICABLE");
    expect(rule("BP-CF-3").evaluate(other)).toBe("NOT_APPLICABLE");
    expect(rule("BP-CF-8").evaluate(other)).toBe("NOT_APPLICABLE");
    expect(rule("BP-CF-2").evaluate(view("cloudflare_zone_setting", { setting_id: "min_tls_version", value: "1.3" }))).toBe("COMPLIANT");
    expect(rule("BP-CF-2").evaluate(view("cloudflare_zone_setting", { setting_id: "min_tls_version", value: "1.1" }))).toBe("NON_COMPLIANT");
  });

  test("BP-CF-3: global AOP off, or zone-level AOP on, fails; the message names both set-ups", () => {
    const r = rule("BP-CF-3");
    expect(r.evaluate(view("cloudflare_zone_setting", { setting_id: "tls_client_auth", value: "off" }))).toBe("NON_COMPLIANT");
    expect(r.evaluate(view("cloudflare_authenticated_origin_pulls_settings", { enabled: false }))).toBe("COMPLIANT");
    expect(r.evaluate(view("cloudflare_zone_setting", { setting_id: "ssl", value: "strict" }))).toBe("NOT_APPLICABLE");
    expect(r.explanation).toContain("https://developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull/set-up/global/");
    expect(r.explanation).toContain("https://developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull/set-up/zone-level/");
  });

  test("BP-CF-8: only `custom` pins the encryption mode; the message cites Cloudflare's automatic mode", () => {
    const r = rule("BP-CF-8");
    expect(r.evaluate(view("cloudflare_zone_setting", { setting_id: "ssl", value: "strict" }))).toBe("NOT_APPLICABLE");
    expect(r.explanation).toContain("https://developers.cloudflare.com/ssl/origin-configuration/ssl-modes/#automatic-ssltls-default");
  });

  test("BP-CF-4: DNS-only or without fallback fails", () => {
    const [good] = CLOUDFLARE_RULE_EXAMPLES["BP-CF-4"];
    expect(rule("BP-CF-4").evaluate(view(good.type, { ...good.attributes, proxied: false }))).toBe("NON_COMPLIANT");
    expect(rule("BP-CF-4").evaluate(view(good.type, { ...good.attributes, fallback_pool: undefined }))).toBe("NON_COMPLIANT");
    const pools = good.attributes.default_pools as string[];
    const samePoolTwice = [pools[0], pools[0]];
    expect(rule("BP-CF-4").evaluate(view(good.type, { ...good.attributes, default_pools: samePoolTwice }))).toBe("NON_COMPLIANT");
  });

  test("BP-CF-5: plain HTTP or a 2xx range fails", () => {
    const [good] = CLOUDFLARE_RULE_EXAMPLES["BP-CF-5"];
    expect(rule("BP-CF-5").evaluate(view(good.type, { ...good.attributes, type: "http" }))).toBe("NON_COMPLIANT");
    expect(rule("BP-CF-5").evaluate(view(good.type, { ...good.attributes, expected_codes: "2xx" }))).toBe("NON_COMPLIANT");
    // Without "Simulate Zone" the probes carry no AOP certificate and the origins answer 403.
    expect(rule("BP-CF-5").evaluate(view(good.type, { ...good.attributes, probe_zone: undefined }))).toBe("NON_COMPLIANT");
    expect(rule("BP-CF-5").explanation).toContain("https://developers.cloudflare.com/load-balancing/monitors/create-monitor/");
  });

  test("BP-CF-6: minimum_origins 0 or no origins fails", () => {
    const [good] = CLOUDFLARE_RULE_EXAMPLES["BP-CF-6"];
    expect(rule("BP-CF-6").evaluate(view(good.type, { ...good.attributes, minimum_origins: 0 }))).toBe("NON_COMPLIANT");
    expect(rule("BP-CF-6").evaluate(view(good.type, { ...good.attributes, origins: [] }))).toBe("NON_COMPLIANT");
  });

  test.each([
    ["*", "443", "NON_COMPLIANT"],
    ["0.0.0.0/0", "400-500", "NON_COMPLIANT"],
    ["Internet", "*", "NON_COMPLIANT"],
    ["AzureLoadBalancer", "443", "COMPLIANT"],
    ["Internet", "80", "NOT_APPLICABLE"],
  ])("BP-CF-7: source %s to port %s is %s", (source, port, expected) => {
    const a = { direction: "Inbound", access: "Allow", protocol: "Tcp", source_address_prefix: source, destination_port_range: port };
    expect(rule("BP-CF-7").evaluate(view("azurerm_network_security_rule", a))).toBe(expected);
  });

  test("BP-CF-7: port lists, deny rules and UDP", () => {
    const base = { direction: "Inbound", access: "Allow", protocol: "Tcp", source_address_prefix: "Internet" };
    expect(rule("BP-CF-7").evaluate(view("azurerm_network_security_rule", { ...base, destination_port_ranges: ["80", "443"] }))).toBe("NON_COMPLIANT");
    expect(rule("BP-CF-7").evaluate(view("azurerm_network_security_rule", { ...base, access: "Deny", destination_port_range: "*" }))).toBe("NOT_APPLICABLE");
    expect(rule("BP-CF-7").evaluate(view("azurerm_network_security_rule", { ...base, protocol: "Udp", destination_port_range: "443" }))).toBe("NOT_APPLICABLE");
  });
});

describe("in a synthesized scope", () => {
  function tiny(build: (stack: TerraformStack) => void) {
    const app = Testing.app();
    const stack = new TerraformStack(app, "t");
    new AzurermProvider(stack, "azurerm", { features: [{}], subscriptionId: "00000000-0000-0000-0000-000000000000" });
    new CloudflareProvider(stack, "cloudflare", {});
    build(stack);
    const checks = new BlueprintChecks(CLOUDFLARE_RULES);
    Aspects.of(stack).add(checks);
    Testing.synth(stack);
    return checks.findings;
  }

  test("a flexible SSL mode and an open HTTPS rule fail synthesis-time checks", () => {
    const findings = tiny((stack) => {
      new ZoneSetting(stack, "ssl", { zoneId: "z", settingId: "ssl", value: "flexible" as any });
      new NetworkSecurityRule(stack, "open", {
        name: "open-https",
        priority: 100,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRange: "*",
        destinationPortRange: "443",
        sourceAddressPrefix: "Internet",
        destinationAddressPrefix: "*",
        resourceGroupName: "rg",
        networkSecurityGroupName: "nsg",
      });
    });
    expect(
      findings
        .filter((f) => f.result === "NON_COMPLIANT")
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(["BP-CF-1", "BP-CF-7"]);
  });

  test("zone-level AOP, the setting the stack used to switch on, fails synthesis-time checks", () => {
    const findings = tiny((stack) => {
      new AuthenticatedOriginPullsSettings(stack, "aop", { zoneId: "z", enabled: true });
    });
    expect(findings).toEqual([expect.objectContaining({ ruleId: "BP-CF-3", result: "NON_COMPLIANT" })]);
  });

  test("a reasoned suppression (e.g. Azure Bastion's required 443 from the Internet) is honoured and reported", () => {
    const findings = tiny((stack) => {
      const r = new NetworkSecurityRule(stack, "bastion", {
        name: "bastion-https",
        priority: 120,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRange: "*",
        destinationPortRange: "443",
        sourceAddressPrefix: "Internet",
        destinationAddressPrefix: "*",
        resourceGroupName: "rg",
        networkSecurityGroupName: "bastion-nsg",
      });
      suppressRule(r, "BP-CF-7", "Azure Bastion requires HTTPS from the Internet on its own subnet; no frontend is behind this NSG");
    });
    expect(findings).toEqual([expect.objectContaining({ ruleId: "BP-CF-7", result: "SUPPRESSED" })]);
  });
});
