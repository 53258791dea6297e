/**
 * `npm run preflight` against recorded API responses (fixtures/README.md): a passing account and a failing one,
 * through the real SDK clients with an injected HTTP client and fetch. Nothing leaves the process. One file, so
 * the SDKs are loaded once.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CredentialUnavailableError } from "@azure/identity";
import { ENVIRONMENTS, loadEnvironment, parseConfig, type BlueprintConfigInput } from "../../config";
import { fixtureEnvironment } from "../fixture-environment";
import { main } from "../../preflight/cli";
import { CHECKS, runPreflight } from "../../preflight/run";
import { templateValues } from "../../preflight/checks/template-values";
import { AZURERM_RESOURCE_PROVIDERS, requiredProviders } from "../../preflight/checks/resource-providers";
import { planTier } from "../../preflight/checks/cloudflare-zone";
import { parseMysqlSku } from "../../preflight/checks/mysql-sku";
import { vmNeeds, zoneRestriction } from "../../preflight/compute";
import { recordedAccount } from "./recorded";
import { exampleSynth } from "../helpers";

// The account the recorded responses describe: a production-shaped environment (medium, Business plan, remote
// state) built from the test fixture, not from an editable environment file, with surge on so every check has
// something to verify.
const prod: BlueprintConfigInput = {
  ...fixtureEnvironment,
  environment: "pft",
  azure: { subscriptionId: "11111111-2222-3333-4444-555555555555", tenantId: "66666666-7777-8888-9999-000000000000" },
  hostname: "analytics.contoso.com",
  cloudflare: {
    accountId: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    zoneId: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    zoneName: "contoso.com",
    plan: "business",
    steeringPolicy: "failover",
    monitorIntervalSeconds: 15,
  },
  size: "medium",
  frontends: {},
  keyVault: { allowedCidrs: ["203.0.113.0/28"] },
  backend: { type: "azurerm", resourceGroupName: "ctso-tfstate-prod", storageAccountName: "ctsotfstateprod", containerName: "tfstate" },
};
const ENV = "pftest";
(ENVIRONMENTS as Record<string, BlueprintConfigInput>)[ENV] = { ...prod, compute: { maximumSurge: true } };
const SUBSCRIPTION = prod.azure.subscriptionId;

async function run(account: string, argv: string[] = [], egressIp = "203.0.113.5") {
  const recorded = recordedAccount(account, SUBSCRIPTION);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    { MATOMO_ENV: ENV },
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    {
      credential: recorded.credential,
      azureHttpClient: recorded.azureHttpClient,
      cloudflareToken: "recorded-token",
      cloudflareFetch: recorded.cloudflareFetch,
      egressIp: async () => egressIp,
    },
  );
  return { code, out: out.join("\n"), err: err.join("\n"), recorded };
}

// The recorded accounts answer the checks that ask Azure, Cloudflare or the runner; the offline template check
// (which the placeholder IDs above fail by design) has its own tests below.
const ACCOUNT_CHECKS = CHECKS.filter((c) => c.needs.length > 0);
const accountOnly = ["--only", ACCOUNT_CHECKS.map((c) => c.id).join(",")];

const statusLines = (out: string) =>
  Object.fromEntries(
    out
      .split("\n")
      .filter((l) => /^(PASS|FAIL|SKIP) /.test(l))
      .map((l) => [l.split(/\s+/)[1], l.split(" ")[0]]),
  );

test("the passing account passes every account check, with one status line per check and a summary", async () => {
  const { code, out, err, recorded } = await run("good", accountOnly);
  expect(err).toBe("");
  expect(recorded.unexpected).toEqual([]);
  expect(statusLines(out)).toEqual(Object.fromEntries(ACCOUNT_CHECKS.map((c) => [c.id, "PASS"])));
  expect(out).toMatch(/PASS vcpu-quota .*westeurope standardDSv5Family 52\/96 free/);
  expect(out).toMatch(/PASS mysql-sku .*GP_Standard_D4ds_v4 with zone-redundant HA in westeurope zones 1\/2, replica in northeurope/);
  expect(out.split("\n").at(-1)).toBe(`preflight '${ENV}': ${ACCOUNT_CHECKS.length} passed, 0 failed, 0 skipped`);
  expect(code).toBe(0);
  // Each listing is fetched once even though two checks read it.
  expect(recorded.requests.filter((r) => r.includes("/skus?"))).toHaveLength(2);
});

test("the failing account fails every account check and lists every problem with its fix", async () => {
  const { code, out, recorded } = await run("bad", accountOnly, "198.51.100.7");
  expect(recorded.unexpected).toEqual([]);
  expect(statusLines(out)).toEqual(Object.fromEntries(ACCOUNT_CHECKS.map((c) => [c.id, "FAIL"])));
  const expected: RegExp[] = [
    /Microsoft\.DBforMySQL is NotRegistered: run `az provider register --namespace Microsoft\.DBforMySQL --wait`/,
    /Microsoft\.Insights is still Registering/,
    /Microsoft\.Compute\/EncryptionAtHost \(needed by compute\.encryptionAtHost = true\) is NotRegistered: run `az feature register --namespace Microsoft\.Compute --name EncryptionAtHost`.*or set compute\.encryptionAtHost = false/,
    /Microsoft\.Compute\/MaxSurgeRollingUpgrade \(needed by compute\.maximumSurge = true\) is NotRegistered: run `az feature register --namespace Microsoft\.Compute --name MaxSurgeRollingUpgrade`/,
    /Standard_D4s_v5 \(frontends and archiver\) is restricted in zone 3 \(NotAvailableForSubscription\) in westeurope \(primary\): ask Azure support .* or remove the zone from regions\.primary\.zones/,
    /westeurope \(primary\): standardDSv5Family needs 52 vCPUs \(frontends 12 x 4 \(10 max instances \+ 2 surge\) \+ archiver 1 x 4\) but only 16 are free \(limit 20, in use 4\): request a limit of at least 56/,
    /westeurope does not offer zone-redundant HA for MySQL flexible servers \(supportedHAMode: SameZone\): choose a primary region/,
    /this runner's egress 198\.51\.100\.7 is outside keyVault\.allowedCidrs \(203\.0\.113\.0\/28\).*add .* to keyVault\.allowedCidrs/,
    /zone contoso\.com is on the 'pro' plan \(Pro Website\), config says cloudflare\.plan = 'business': set cloudflare\.plan = 'pro'/,
    /account a{32} cannot create load balancers: no Load Balancing subscription among 1 \(WORKERS_PAID\): enable Load Balancing/,
    /regions\.secondary\.cloudflareCheckRegions has 'EEU', which the account's Load Balancing regions do not include/,
  ];
  for (const re of expected) expect(out).toMatch(re);
  expect(out.split("\n").filter((l) => l.startsWith("    - "))).toHaveLength(expected.length);
  expect(out).toMatch(new RegExp(`preflight '${ENV}': 0 passed, ${ACCOUNT_CHECKS.length} failed, 0 skipped: fix every problem above`));
  expect(code).toBe(1);
});

test("--json reports the same results as data", async () => {
  const { code, out } = await run("bad", ["--json"], "198.51.100.7");
  const report = JSON.parse(out);
  expect(report.summary).toEqual({ passed: 0, failed: CHECKS.length, skipped: 0 });
  expect(report.checks.find((c: any) => c.id === "template-values").problems.length).toBeGreaterThan(5);
  expect(report.checks.find((c: any) => c.id === "preview-features").problems).toHaveLength(2);
  expect(report.checks.every((c: any) => c.sources.every((s: string) => s.startsWith("https://")))).toBe(true);
  expect(code).toBe(1);
});

test("an API that refuses the identity fails that check with the reason, and the others still run", async () => {
  const recorded = recordedAccount("denied", SUBSCRIPTION);
  const out: string[] = [];
  const code = await main(
    ["--only", "resource-providers,cloudflare-zone,key-vault-runner-access"],
    { MATOMO_ENV: ENV },
    { out: (t) => out.push(t), err: () => undefined },
    {
      credential: recorded.credential,
      azureHttpClient: recorded.azureHttpClient,
      cloudflareToken: "recorded-token",
      cloudflareFetch: recorded.cloudflareFetch,
      egressIp: async () => "203.0.113.5",
    },
  );
  const text = out.join("\n");
  expect(text).toMatch(/cannot list the subscription's resource providers: HTTP 403 .*AuthorizationFailed.*needs Reader on subscription/);
  expect(text).toMatch(/zone b{32} cannot be read: HTTP 403 .*Authentication error.*Zone Read/);
  expect(text).toMatch(/^PASS key-vault-runner-access/m);
  expect(code).toBe(1);
});

describe("without credentials", () => {
  const noAzure = { getToken: async () => Promise.reject(new CredentialUnavailableError("DefaultAzureCredential: no credential in the chain")) };

  test("exits 2 with one line saying how to log in to each, no stack trace, and makes no request", async () => {
    const recorded = recordedAccount("good", SUBSCRIPTION);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      [],
      { MATOMO_ENV: ENV },
      { out: (t) => out.push(t), err: (t) => err.push(t) },
      { credential: noAzure, azureHttpClient: recorded.azureHttpClient, cloudflareFetch: recorded.cloudflareFetch },
    );
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0].split("\n")).toHaveLength(1);
    expect(err[0]).toMatch(/az login/);
    expect(err[0]).toMatch(/set CLOUDFLARE_API_TOKEN/);
    expect(err[0]).not.toMatch(/\bat .*\.js:\d+/);
    expect(recorded.requests).toEqual([]);
  });

  test("the real DefaultAzureCredential with no Azure CLI on the machine gives the same one line", async () => {
    // Only the CLI credential in the chain, and no `az` on PATH: the chain fails locally, without any network call.
    const saved = { AZURE_TOKEN_CREDENTIALS: process.env.AZURE_TOKEN_CREDENTIALS, PATH: process.env.PATH };
    process.env.AZURE_TOKEN_CREDENTIALS = "AzureCliCredential";
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), "no-az-"));
    const err: string[] = [];
    try {
      const code = await main(["--only", "resource-providers"], { MATOMO_ENV: ENV }, { out: () => undefined, err: (t) => err.push(t) });
      expect(code).toBe(2);
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    expect(err).toEqual([expect.stringMatching(/^preflight: not logged in\. Azure: run `az login`[^\n]*$/)]);
  });

  test("a Cloudflare token alone still asks for the Azure login, and only for it", async () => {
    const err: string[] = [];
    const code = await main([], { MATOMO_ENV: ENV, CLOUDFLARE_API_TOKEN: "t" }, { out: () => undefined, err: (t) => err.push(t) }, { credential: noAzure });
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/az login/);
    expect(err[0]).not.toMatch(/CLOUDFLARE_API_TOKEN/);
  });
});

describe("--only key-vault-runner-access (run by the workflows before planning; needs no login)", () => {
  const kv = async (env: Record<string, string>, argv: string[] = []) => {
    const out: string[] = [];
    const err: string[] = [];
    const noLogin = { getToken: async () => Promise.reject(new Error("must not be asked")) };
    const code = await main(
      ["--only", "key-vault-runner-access", ...argv],
      env,
      { out: (t) => out.push(t), err: (t) => err.push(t) },
      {
        credential: noLogin,
        egressIp: async () => Promise.reject(new Error("must not be asked when the address is given")),
      },
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  test("passes for an address inside keyVault.allowedCidrs, given by --egress-ip", async () => {
    const r = await kv({ MATOMO_ENV: ENV }, ["--egress-ip", "203.0.113.14"]);
    expect(r.out).toMatch(/^PASS key-vault-runner-access .*egress 203\.0\.113\.14 is inside keyVault\.allowedCidrs \(203\.0\.113\.0\/28\)/);
    expect(r.out.split("\n")).toHaveLength(2);
    expect(r.code).toBe(0);
  });

  test("fails for an address outside it, given by PREFLIGHT_EGRESS_IP", async () => {
    const r = await kv({ MATOMO_ENV: ENV, PREFLIGHT_EGRESS_IP: "203.0.113.16" });
    expect(r.out).toMatch(/^FAIL key-vault-runner-access/);
    expect(r.out).toMatch(/egress 203\.0\.113\.16 is outside keyVault\.allowedCidrs/);
    expect(r.code).toBe(1);
  });

  test("fails for the example environment, whose vault admits no runner", async () => {
    const r = await kv({}, ["--egress-ip=203.0.113.14"]);
    expect(r.out).toMatch(/keyVault\.allowedCidrs and keyVault\.runnerSubnetIds are empty/);
    expect(r.code).toBe(1);
  });

  test("skips, naming the subnets, when the runner may come through keyVault.runnerSubnetIds", async () => {
    const subnet = `/subscriptions/${SUBSCRIPTION}/resourceGroups/ci/providers/Microsoft.Network/virtualNetworks/ci/subnets/runners`;
    (ENVIRONMENTS as Record<string, BlueprintConfigInput>).pfsubnet = {
      ...prod,
      environment: "pfs",
      keyVault: { allowedCidrs: [], runnerSubnetIds: [subnet] },
    };
    const r = await kv({ MATOMO_ENV: "pfsubnet" }, ["--egress-ip", "198.51.100.7"]);
    expect(r.out).toMatch(new RegExp(`^SKIP key-vault-runner-access .*the runner must run in one of those subnets \\(${subnet.replace(/[/.]/g, "\\$&")}\\)`));
    expect(r.code).toBe(0);
  });

  test("fails when the echo service cannot be reached, saying how to give the address", async () => {
    const out: string[] = [];
    const code = await main(
      ["--only", "key-vault-runner-access"],
      { MATOMO_ENV: ENV },
      { out: (t) => out.push(t), err: () => undefined },
      {
        egressIp: async () => Promise.reject(new Error("getaddrinfo ENOTFOUND")),
      },
    );
    expect(out.join("\n")).toMatch(/cannot learn this runner's public IPv4 address: getaddrinfo ENOTFOUND; pass it with --egress-ip or PREFLIGHT_EGRESS_IP/);
    expect(code).toBe(1);
  });

  test("fails for an IPv6 egress address: vault IP rules take IPv4 only", async () => {
    const r = await kv({ MATOMO_ENV: ENV }, ["--egress-ip", "2001:db8::1"]);
    expect(r.out).toMatch(/'2001:db8::1' is not an IPv4 address/);
    expect(r.code).toBe(1);
  });
});

test("bad options and unknown check IDs exit 2 with one line", async () => {
  for (const argv of [["--only", "no-such-check"], ["--frobnicate"], ["--egress-ip"]]) {
    const err: string[] = [];
    expect(await main(argv, { MATOMO_ENV: ENV }, { out: () => undefined, err: (t) => err.push(t) })).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0].split("\n")).toHaveLength(1);
  }
});

// The checks' edge cases and the tables they rely on.

async function runWith(input: BlueprintConfigInput, ids: string[], account = "good") {
  const recorded = recordedAccount(account, prod.azure.subscriptionId);
  const results = await runPreflight(
    "t",
    parseConfig("t", input),
    CHECKS.filter((c) => ids.includes(c.id)),
    {
      credential: recorded.credential,
      azureHttpClient: recorded.azureHttpClient,
      cloudflareToken: "recorded-token",
      cloudflareFetch: recorded.cloudflareFetch,
      egressIp: async () => "203.0.113.5",
    },
  );
  return { results, recorded };
}

test("every azurerm resource type the stacks synthesize has its resource provider in the table", () => {
  const out = exampleSynth().dir;
  const types = new Set<string>();
  for (const stack of fs.readdirSync(path.join(out, "stacks"))) {
    const json = JSON.parse(fs.readFileSync(path.join(out, "stacks", stack, "cdk.tf.json"), "utf8"));
    for (const t of Object.keys(json.resource ?? {})) if (t.startsWith("azurerm_")) types.add(t);
  }
  expect(types.size).toBeGreaterThan(20);
  expect([...types].filter((t) => !(t in AZURERM_RESOURCE_PROVIDERS))).toEqual([]);
  expect(requiredProviders()).toEqual([
    "Microsoft.Compute",
    "Microsoft.DBforMySQL",
    "Microsoft.Insights",
    "Microsoft.KeyVault",
    "Microsoft.ManagedIdentity",
    "Microsoft.Network",
    "Microsoft.OperationalInsights",
    "Microsoft.Storage",
  ]);
});

test("preview features are skipped, and not asked for, when the config needs none", async () => {
  const { results, recorded } = await runWith({ ...prod, compute: { encryptionAtHost: false, maximumSurge: false } }, ["preview-features"], "bad");
  expect(results[0]).toMatchObject({ status: "SKIP", reason: expect.stringMatching(/compute\.encryptionAtHost and compute\.maximumSurge are off/) });
  expect(recorded.requests).toEqual([]);
});

test("only the features the config turns on are required", async () => {
  const { results, recorded } = await runWith({ ...prod, compute: { maximumSurge: false } }, ["preview-features"], "bad");
  expect(results[0].problems).toEqual([expect.stringMatching(/^Microsoft\.Compute\/EncryptionAtHost /)]);
  expect(recorded.requests).toHaveLength(1);
});

test("a feature flag Azure no longer knows (404) is not a problem: the feature went generally available", async () => {
  const { results } = await runWith({ ...prod, compute: { maximumSurge: true } }, ["preview-features"], "denied");
  expect(results[0]).toMatchObject({
    status: "PASS",
    reason: "Microsoft.Compute/EncryptionAtHost registered; Microsoft.Compute/MaxSurgeRollingUpgrade is not a feature flag any more (generally available)",
  });
});

test("without a read replica the secondary region's MySQL offer is not asked for", async () => {
  const { results, recorded } = await runWith({ ...prod, mysql: { ...prod.mysql, readReplica: false } }, ["mysql-sku"]);
  expect(results[0]).toMatchObject({ status: "PASS", reason: expect.stringMatching(/no replica checked/) });
  expect(recorded.requests.some((r) => r.includes("northeurope"))).toBe(false);
});

test("a MySQL SKU the region does not offer is reported for both zones and the replica", async () => {
  const { results } = await runWith({ ...prod, mysql: { ...prod.mysql, skuName: "GP_Standard_D16ds_v4" } }, ["mysql-sku"]);
  expect(results[0].problems).toEqual([
    expect.stringMatching(
      /^GP_Standard_D16ds_v4 \(MySQL 8\.0\.21\) is not offered in westeurope zone 1 \(mysql\.primaryZone\): pick another SKU \(mysql\.skuName\)/,
    ),
    expect.stringMatching(/westeurope zone 2 \(mysql\.standbyZone\)/),
    expect.stringMatching(/is not offered in northeurope, so the read replica \(same SKU\) cannot be created there/),
  ]);
});

test("without surge, quota covers the autoscale ceiling only", () => {
  const config = parseConfig("t", prod);
  expect(vmNeeds(config, "primary").map((n) => [n.role, n.count])).toEqual([
    ["frontends", 10],
    ["archiver", 1],
  ]);
  expect(vmNeeds(config, "secondary").map((n) => [n.role, n.count])).toEqual([
    ["frontends", 10],
    ["archiver", 0],
  ]);
  const surged = parseConfig("t", { ...prod, compute: { maximumSurge: true } });
  expect(vmNeeds(surged, "primary")[0]).toMatchObject({ count: 12, countReason: "10 max instances + 2 surge" });
});

describe("zone restrictions, as the Resource SKUs API states them", () => {
  const sku = (restrictions: object[], zones = ["1", "2", "3"]) =>
    ({ name: "Standard_D4s_v5", locationInfo: [{ location: "westeurope", zones }], restrictions }) as any;
  test("no restriction and the zone listed: placeable", () => expect(zoneRestriction(sku([]), "westeurope", "2")).toBeUndefined());
  test("a zone missing from locationInfo", () => expect(zoneRestriction(sku([], ["1", "2"]), "westeurope", "3")).toBe("not offered in zone 3"));
  test("a location restriction covers every zone", () =>
    expect(
      zoneRestriction(
        sku([{ type: "Location", values: ["westeurope"], restrictionInfo: { locations: ["westeurope"] }, reasonCode: "QuotaId" }]),
        "westeurope",
        "1",
      ),
    ).toBe("restricted in the whole region (QuotaId)"));
  test("a zone restriction covers only its zones", () => {
    const s = sku([
      { type: "Zone", values: ["westeurope"], restrictionInfo: { locations: ["westeurope"], zones: ["2"] }, reasonCode: "NotAvailableForSubscription" },
    ]);
    expect(zoneRestriction(s, "westeurope", "1")).toBeUndefined();
    expect(zoneRestriction(s, "westeurope", "2")).toBe("restricted in zone 2 (NotAvailableForSubscription)");
  });
});

test("a VM size missing from a region's listing names the size field and the region", async () => {
  const { results } = await runWith({ ...prod, frontends: { vmSku: "Standard_F8s_v2" } }, ["vm-sizes", "vcpu-quota"]);
  expect(results[0].problems).toEqual([
    expect.stringMatching(/^Standard_F8s_v2 \(frontends\) is not offered in westeurope \(primary\): choose another VM size \(frontends\.vmSku\)/),
    expect.stringMatching(/^Standard_F8s_v2 \(frontends\) is not offered in northeurope \(secondary\)/),
  ]);
  expect(results[1].problems).toEqual([
    expect.stringMatching(/cannot tell the quota family of Standard_F8s_v2 in westeurope/),
    expect.stringMatching(/northeurope/),
  ]);
});

test("zone plan tiers come from legacy_id, or from the name for plans without one", () => {
  expect(planTier({ legacy_id: "business", name: "Business Website" })).toBe("business");
  expect(planTier({ legacy_id: "partners_ent", name: "Enterprise Website" })).toBe("enterprise");
  expect(planTier({ name: "Pro Plan" })).toBe("pro");
  expect(planTier(undefined)).toBe("unknown");
});

test("Terraform MySQL SKU names map to the capability API's editions", () => {
  expect(parseMysqlSku("GP_Standard_D4ds_v4")).toEqual({ editions: ["GeneralPurpose"], name: "Standard_D4ds_v4" });
  expect(parseMysqlSku("MO_Standard_E8ds_v4")).toEqual({ editions: ["MemoryOptimized", "BusinessCritical"], name: "Standard_E8ds_v4" });
});

describe("template-values (offline: run by the workflows before planning)", () => {
  const realistic: BlueprintConfigInput = {
    ...prod,
    azure: { subscriptionId: "3f2b8c1e-5a4d-4e7f-9c1b-2d6e8f0a1b3c", tenantId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" },
    hostname: "analytics.shop-nord.eu",
    cloudflare: { ...prod.cloudflare!, accountId: "0d9f7c3b2a1e4f5d6c7b8a9e0f1d2c3b", zoneId: "7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b", zoneName: "shop-nord.eu" },
    matomo: { ...prod.matomo!, superUserEmail: "web-analytics@shop-nord.eu", siteUrl: "https://www.shop-nord.eu" },
    alerts: { email: "oncall@shop-nord.eu" },
    keyVault: { allowedCidrs: ["20.50.10.0/28"] },
  };
  test("a config with real values passes", () => {
    expect(templateValues(parseConfig("t", realistic))).toEqual([]);
  });
  test("every template value is named with its field and fix: the placeholder IDs, documentation domains and ranges", () => {
    const problems = templateValues(
      parseConfig("t", { ...prod, admin: { sshPublicKey: `${prod.admin!.sshPublicKey.split(" ").slice(0, 2).join(" ")} replace-me` } }),
    );
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(
      [
        "admin.sshPublicKey",
        "alerts.email",
        "azure.subscriptionId",
        "azure.tenantId",
        "cloudflare.accountId",
        "cloudflare.zoneId",
        "cloudflare.zoneName",
        "hostname",
        "keyVault.allowedCidrs",
        "matomo.siteUrl",
        "matomo.superUserEmail",
      ].sort(),
    );
    expect(problems.find((p) => p.startsWith("keyVault.allowedCidrs"))).toMatch(
      /'203\.0\.113\.0\/28' is inside 203\.0\.113\.0\/24, reserved for documentation \(https:\/\/www\.rfc-editor\.org\/rfc\/rfc5737\)/,
    );
    expect(problems.find((p) => p.startsWith("hostname"))).toMatch(/documentation or fictitious domain .*rfc2606.*use your own/);
  });
  test("the shipped prod template fails it until every REPLACE value is replaced", () => {
    expect(templateValues(loadEnvironment("prod")).length).toBeGreaterThanOrEqual(9);
  });
});
