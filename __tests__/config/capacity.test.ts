import { fixtureEnvironment } from "../fixture-environment";
import { ENVIRONMENTS, parseConfig, SIZE_PRESETS } from "../../config";
import { connectionBudget, largestFittingMaxInstances, MYSQL_SKUS, phpWorkersFor } from "../../config/capacity";
import { regionProblem, REGIONS_WITH_ZONES, REGIONS_WITHOUT_ZONES } from "../../config/azure-regions";
import { resolveSizing } from "../../modules/common/sizing";

describe("Azure's max_connections per MySQL size", () => {
  // Spot values from the published table (concepts-server-parameters#max_connections).
  test.each([
    ["GP_Standard_D2ds_v4", 1365],
    ["GP_Standard_D4ds_v4", 2731],
    ["GP_Standard_D64ads_v5", 43691],
    ["MO_Standard_E8ds_v4", 10923],
    ["MO_Standard_E20ds_v5", 27306],
    ["MO_Standard_E64ds_v4", 86016],
  ])("%s allows %i", (sku, max) => {
    expect(MYSQL_SKUS[sku].maxConnections).toBe(max);
  });
  test("every size in the table has a published maximum", () => {
    for (const [sku, l] of Object.entries(MYSQL_SKUS)) expect([sku, Number.isInteger(l.maxConnections)]).toEqual([sku, true]);
  });
  test("every preset's MySQL size is in the table", () => {
    for (const p of Object.values(SIZE_PRESETS)) expect(MYSQL_SKUS[p.mysqlSkuName]).toBeDefined();
  });
});

describe("every size preset in every shipped environment fits Azure's limits", () => {
  const combos = Object.keys(ENVIRONMENTS).flatMap((env) =>
    (Object.keys(SIZE_PRESETS) as Array<keyof typeof SIZE_PRESETS>).flatMap((size) => [false, true].map((surge) => [env, size, surge] as const)),
  );
  test.each(combos)("%s / %s / surge %s", (env, size, surge) => {
    const input = { ...ENVIRONMENTS[env], size, frontends: {}, compute: { maximumSurge: surge } };
    const sizing = resolveSizing(parseConfig(env, input));
    expect(sizing.mysqlMaxConnections).toBeLessThanOrEqual(MYSQL_SKUS[sizing.mysqlSkuName].maxConnections);
    expect(sizing.phpWorkersPerFrontend).toBeGreaterThanOrEqual(16);
  });
});

describe("PHP-FPM workers are bounded by memory and vCPUs", () => {
  test.each([
    ["Standard_D2s_v5", 32],
    ["Standard_D4s_v5", 64],
    ["Standard_D8s_v5", 128],
    ["Standard_E2s_v5", 32],
    ["Standard_F4s_v2", 64],
  ])("%s: %i workers", (sku, n) => {
    expect(phpWorkersFor(sku)).toBe(n);
  });
  test("an unknown VM size is an error, not a guess", () => {
    expect(() => phpWorkersFor("Standard_B1s")).toThrow(/KNOWN_VM_SKUS/);
  });
  test("the largest fitting ceiling is the last one that fits", () => {
    const n = largestFittingMaxInstances("Standard_D2s_v5", false, 1365);
    expect(connectionBudget("Standard_D2s_v5", n, false).required).toBeLessThanOrEqual(1365);
    expect(connectionBudget("Standard_D2s_v5", n + 1, false).required).toBeGreaterThan(1365);
  });
});

describe("regions", () => {
  test("regions with zones pass", () => {
    for (const r of REGIONS_WITH_ZONES) expect(regionProblem(r)).toBeUndefined();
  });
  test("every region without zones names a neighbour that has them", () => {
    for (const [r, n] of Object.entries(REGIONS_WITHOUT_ZONES)) {
      expect(REGIONS_WITH_ZONES).toContain(n);
      expect(regionProblem(r)).toContain(`'${n}'`);
    }
  });
  test("a misspelt region without zones suggests its neighbour with zones", () => {
    expect(regionProblem("northcentralsu")).toMatch(/did you mean 'centralus'/);
  });
});

test("the archiver size can be set per environment", () => {
  const input = { ...fixtureEnvironment, archiver: { vmSku: "Standard_E4s_v5" } };
  expect(resolveSizing(parseConfig("fixture", input)).archiverVmSku).toBe("Standard_E4s_v5");
  expect(resolveSizing(parseConfig("fixture", fixtureEnvironment)).archiverVmSku).toBe(SIZE_PRESETS.small.archiverVmSku);
});
