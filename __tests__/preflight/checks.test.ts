/** The checks' edge cases and the tables they rely on, against recorded responses or synthesized output. */
import * as fs from "fs";
import * as path from "path";
import { parseConfig, type BlueprintConfigInput } from "../../config";
import { prod } from "../../config/environments/prod";
import { AZURERM_RESOURCE_PROVIDERS, requiredProviders } from "../../preflight/checks/resource-providers";
import { planTier } from "../../preflight/checks/cloudflare-zone";
import { parseMysqlSku } from "../../preflight/checks/mysql-sku";
import { vmNeeds, zoneRestriction } from "../../preflight/compute";
import { CHECKS, runPreflight } from "../../preflight/run";
import { recordedAccount } from "./recorded";

async function runWith(input: BlueprintConfigInput, ids: string[], account = "good") {
  const recorded = recordedAccount(account, prod.azure.subscriptionId);
  const results = await runPreflight("t", parseConfig("t", input), CHECKS.filter((c) => ids.includes(c.id)), {
    credential: recorded.credential,
    azureHttpClient: recorded.azureHttpClient,
    cloudflareToken: "recorded-token",
    cloudflareFetch: recorded.cloudflareFetch,
    egressIp: async () => "203.0.113.5",
  });
  return { results, recorded };
}

test("every azurerm resource type the stacks synthesize has its resource provider in the table", () => {
  const out = process.env.MATOMO_TEST_EXAMPLE_OUT!;
  const types = new Set<string>();
  for (const stack of fs.readdirSync(path.join(out, "stacks"))) {
    const json = JSON.parse(fs.readFileSync(path.join(out, "stacks", stack, "cdk.tf.json"), "utf8"));
    for (const t of Object.keys(json.resource ?? {})) if (t.startsWith("azurerm_")) types.add(t);
  }
  expect(types.size).toBeGreaterThan(20);
  expect([...types].filter((t) => !(t in AZURERM_RESOURCE_PROVIDERS))).toEqual([]);
  expect(requiredProviders()).toEqual([
    "Microsoft.Compute", "Microsoft.DBforMySQL", "Microsoft.Insights", "Microsoft.KeyVault",
    "Microsoft.ManagedIdentity", "Microsoft.Network", "Microsoft.OperationalInsights", "Microsoft.Storage",
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

test("without a read replica the secondary region's MySQL offer is not asked for", async () => {
  const { results, recorded } = await runWith({ ...prod, mysql: { ...prod.mysql, readReplica: false } }, ["mysql-sku"]);
  expect(results[0]).toMatchObject({ status: "PASS", reason: expect.stringMatching(/no replica checked/) });
  expect(recorded.requests.some((r) => r.includes("northeurope"))).toBe(false);
});

test("a MySQL SKU the region does not offer is reported for both zones and the replica", async () => {
  const { results } = await runWith({ ...prod, mysql: { ...prod.mysql, skuName: "GP_Standard_D16ds_v4" } }, ["mysql-sku"]);
  expect(results[0].problems).toEqual([
    expect.stringMatching(/^GP_Standard_D16ds_v4 \(MySQL 8\.0\.21\) is not offered in westeurope zone 1 \(mysql\.primaryZone\): pick another SKU \(mysql\.skuName\)/),
    expect.stringMatching(/westeurope zone 2 \(mysql\.standbyZone\)/),
    expect.stringMatching(/is not offered in northeurope, so the read replica \(same SKU\) cannot be created there/),
  ]);
});

test("without surge, quota covers the autoscale ceiling only", () => {
  const config = parseConfig("t", prod);
  expect(vmNeeds(config, "primary").map((n) => [n.role, n.count])).toEqual([["frontends", 10], ["archiver", 1]]);
  expect(vmNeeds(config, "secondary").map((n) => [n.role, n.count])).toEqual([["frontends", 10], ["archiver", 0]]);
  const surged = parseConfig("t", { ...prod, compute: { maximumSurge: true } });
  expect(vmNeeds(surged, "primary")[0]).toMatchObject({ count: 12, countReason: "10 max instances + 2 surge" });
});

describe("zone restrictions, as the Resource SKUs API states them", () => {
  const sku = (restrictions: object[], zones = ["1", "2", "3"]) => ({ name: "Standard_D4s_v5", locationInfo: [{ location: "westeurope", zones }], restrictions }) as any;
  test("no restriction and the zone listed: placeable", () => expect(zoneRestriction(sku([]), "westeurope", "2")).toBeUndefined());
  test("a zone missing from locationInfo", () => expect(zoneRestriction(sku([], ["1", "2"]), "westeurope", "3")).toBe("not offered in zone 3"));
  test("a location restriction covers every zone", () =>
    expect(zoneRestriction(sku([{ type: "Location", values: ["westeurope"], restrictionInfo: { locations: ["westeurope"] }, reasonCode: "QuotaId" }]), "westeurope", "1")).toBe(
      "restricted in the whole region (QuotaId)",
    ));
  test("a zone restriction covers only its zones", () => {
    const s = sku([{ type: "Zone", values: ["westeurope"], restrictionInfo: { locations: ["westeurope"], zones: ["2"] }, reasonCode: "NotAvailableForSubscription" }]);
    expect(zoneRestriction(s, "westeurope", "1")).toBeUndefined();
    expect(zoneRestriction(s, "westeurope", "2")).toBe("restricted in zone 2 (NotAvailableForSubscription)");
  });
});

test("a VM size missing from a region's listing names the size field and the region", async () => {
  const { results } = await runWith({ ...prod, frontends: { vmSku: "Standard_F8s_v2" } }, ["vm-sizes", "vcpu-quota"]);
  expect(results[0].problems).toEqual([
    expect.stringMatching(/^Standard_F8s_v2 \(frontends\) is not offered in westeurope \(primary\): pick another size \(frontends\.vmSku\)/),
    expect.stringMatching(/^Standard_F8s_v2 \(frontends\) is not offered in northeurope \(secondary\)/),
  ]);
  expect(results[1].problems).toEqual([expect.stringMatching(/cannot tell the quota family of Standard_F8s_v2 in westeurope/), expect.stringMatching(/northeurope/)]);
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
