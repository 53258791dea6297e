import { Testing, TerraformStack } from "cdktf";
import { OriginCertificate, OriginCertificateProps } from "../../modules/edge/origin-certificate";
import { RegionalOriginPool, RegionalOriginPoolProps } from "../../modules/edge/origin-pool";
import { checkRateLimitExpression, monitorTimingFor } from "../../modules/edge/plan-profile";

const stack = () => new TerraformStack(Testing.app(), "s");

describe("OriginCertificate guards", () => {
  const props = (over: Partial<OriginCertificateProps>): OriginCertificateProps => ({
    hostname: "analytics.example.com",
    keyVaultId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
    readers: { frontends: "00000000-0000-0000-0000-000000000001" },
    ...over,
  });
  test("a validity the Origin CA does not issue names the value, the allowed ones and the source", () => {
    expect(() => new OriginCertificate(stack(), "c", props({ validityDays: 60 as never }))).toThrow(
      /validityDays 60 is not a validity the Cloudflare Origin CA issues; use one of 7, 30, 90, 365, 730, 1095, 5475 \(requested_validity, https:\/\/developers\.cloudflare\.com\//,
    );
  });
  test("each issued validity is accepted", () => {
    for (const validityDays of [7, 5475] as const) expect(() => new OriginCertificate(stack(), "c", props({ validityDays }))).not.toThrow();
  });
  test("no reader is refused with the fix; one reader passes", () => {
    expect(() => new OriginCertificate(stack(), "c", props({ readers: {} }))).toThrow(/readers is empty; pass the principals/);
    expect(() => new OriginCertificate(stack(), "c", props({}))).not.toThrow();
  });
});

describe("RegionalOriginPool guards", () => {
  const props = (over: Partial<RegionalOriginPoolProps>): RegionalOriginPoolProps => ({
    accountId: "0123456789abcdef0123456789abcdef",
    name: "ctso-matomo-weu",
    description: "West Europe",
    originName: "weu-lb",
    originAddress: "203.0.113.10",
    hostname: "analytics.example.com",
    monitorId: "m",
    checkRegions: ["WEU"],
    ...over,
  });
  test("a name with a character Cloudflare refuses names the value and the fix", () => {
    expect(() => new RegionalOriginPool(stack(), "p", props({ name: "ctso matomo.weu" }))).toThrow(
      /name 'ctso matomo\.weu' may contain only letters, digits, '-' and '_' \(Cloudflare rule\); replace the other characters/,
    );
    expect(() => new RegionalOriginPool(stack(), "p", props({ name: "ctso_matomo-WEU1" }))).not.toThrow();
  });
  test("no check region is refused with an example; one region passes", () => {
    expect(() => new RegionalOriginPool(stack(), "p", props({ checkRegions: [] }))).toThrow(
      /ctso-matomo-weu: checkRegions is empty; list at least one .*e\.g\. \["WEU"\] \(config: regions\.<key>\.cloudflareCheckRegions\)/,
    );
    expect(() => new RegionalOriginPool(stack(), "p", props({ checkRegions: ["EEU"] }))).not.toThrow();
  });
});

describe("plan profile guards", () => {
  test("a monitor interval below the plan floor names value, floor and fix; the floor itself passes", () => {
    expect(() => monitorTimingFor("pro", 59)).toThrow(
      /monitor interval 59 s is below the 'pro' plan floor of 60 s; set cloudflare\.monitorIntervalSeconds to 60 or more, or upgrade cloudflare\.plan/,
    );
    expect(monitorTimingFor("pro", 60).interval).toBe(60);
    expect(monitorTimingFor("enterprise", 10).interval).toBe(10);
  });
  test("a rate limiting expression on a field the plan lacks names rule, field, plan and source; the same field passes a plan that has it", () => {
    const expression = '(http.request.method eq "POST")';
    expect(() => checkRateLimitExpression("pro", "login", expression)).toThrow(
      /rate limiting rule 'login': field\(s\) 'http\.request\.method' not available .* on the 'pro' Cloudflare plan\. .*raise cloudflare\.plan .*https:\/\/developers\.cloudflare\.com\//,
    );
    expect(() => checkRateLimitExpression("business", "login", expression)).not.toThrow();
  });
});
