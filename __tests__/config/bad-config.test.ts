import { ConfigError, ENVIRONMENTS, loadEnvironment, parseConfig } from "../../config";
import { exampleInput } from "../helpers";

const base = () => exampleInput();

function problemsOf(patch: (c: any) => void) {
  const input = base();
  patch(input);
  try {
    parseConfig("bad", input);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("config was accepted");
}

// Each case: what a user might write, the field that must be named, and words of the fix.
const cases: Array<[string, (c: any) => void, string, RegExp]> = [
  ["malformed Matomo version", (c) => (c.matomo.version = "v5.10"), "matomo.version", /release like '5\.10\.0'/],
  ["pre-release Matomo version", (c) => (c.matomo.version = "5.11.0-b1"), "matomo.version", /no pre-release/],
  [
    "Matomo older than the headless install supports",
    (c) => (c.matomo.version = "5.0.3"),
    "matomo.version",
    /5\.1\.2 or later: the headless install calls DbHelper::getDefaultCollationForCharset\(\)/,
  ],
  [
    "overlapping address spaces",
    (c) => (c.regions.secondary.addressSpace = "10.20.8.0/21"),
    "regions.secondary.addressSpace",
    /overlaps regions\.primary\.addressSpace/,
  ],
  ["address space too small", (c) => (c.regions.primary.addressSpace = "10.20.0.0/24"), "regions.primary.addressSpace", /between \/16 and \/22/],
  ["host bits in CIDR", (c) => (c.regions.primary.addressSpace = "10.20.0.5/20"), "regions.primary.addressSpace", /CIDR/],
  ["same region twice", (c) => (c.regions.secondary.location = "westeurope"), "regions.secondary.location", /must differ/],
  ["duplicate region short name", (c) => (c.regions.secondary.shortName = "weu"), "regions.secondary.shortName", /must differ/],
  ["empty region name", (c) => (c.regions.primary.location = ""), "regions.primary.location", /Azure region name/],
  ["single zone", (c) => (c.regions.primary.zones = ["1"]), "regions.primary.zones", /at least two availability zones/],
  ["hostname outside the zone", (c) => (c.hostname = "analytics.example.org"), "hostname", /inside the Cloudflare zone 'example\.com'/],
  ["steering not in plan", (c) => (c.cloudflare.steeringPolicy = "geo"), "cloudflare.steeringPolicy", /not available on the 'pro' plan/],
  ["monitor interval below plan floor", (c) => (c.cloudflare.monitorIntervalSeconds = 15), "cloudflare.monitorIntervalSeconds", /minimum of 60 s/],
  ["primary instances below HA floor", (c) => (c.frontends.primaryMinInstances = 1), "frontends.primaryMinInstances", /at least 2/],
  ["autoscale bounds inverted", (c) => (c.frontends.maxInstances = 2), "frontends.maxInstances", /bounds are inverted/],
  ["scale-in above scale-out", (c) => (c.frontends.scaleInCpuPercent = 80), "frontends.scaleInCpuPercent", /below scaleOutCpuPercent/],
  ["unknown VM SKU", (c) => (c.frontends.vmSku = "Standard_B1s"), "frontends.vmSku", /not in the blueprint's VM table/],
  ["unknown archiver VM SKU", (c) => (c.archiver = { vmSku: "Standard_B2s" }), "archiver.vmSku", /not in the blueprint's VM table/],
  ["archiver upgrade wait too short", (c) => (c.archiver = { upgradeWaitMinutes: 2 }), "archiver.upgradeWaitMinutes", /must be at least 5: a rolling upgrade/],
  ["archiver upgrade wait too long", (c) => (c.archiver = { upgradeWaitMinutes: 1440 }), "archiver.upgradeWaitMinutes", /must be at most 720 \(12 h\)/],
  [
    "MySQL zones outside the region's zones",
    (c) => {
      c.regions.primary.zones = ["1", "2"];
      c.mysql = { standbyZone: "3" };
    },
    "mysql.standbyZone",
    /must both be in regions\.primary\.zones/,
  ],
  ["Burstable MySQL SKU", (c) => (c.mysql = { skuName: "B_Standard_B1ms" }), "mysql.skuName", /not available on Burstable/],
  ["MySQL size not in Azure's max_connections table", (c) => (c.mysql = { skuName: "MO_Standard_E96ds_v5" }), "mysql.skuName", /config\/capacity\.ts/],
  [
    "frontends need more connections than the MySQL size allows",
    (c) => (c.frontends.maxInstances = 19),
    "frontends.maxInstances",
    /above the 1365 that Azure allows on GP_Standard_D2ds_v4 .*concepts-server-parameters.*lower frontends\.maxInstances to 18 or less, or set mysql\.skuName to GP_Standard_D4ds_v4/,
  ],
  [
    "rollout surge pushes connections over the limit",
    (c) => {
      c.frontends.maxInstances = 16;
      c.compute = { maximumSurge: true };
    },
    "frontends.maxInstances",
    /incl\. rollout surge.*lower frontends\.maxInstances to 15 or less/,
  ],
  [
    "region without availability zones",
    (c) => (c.regions.secondary.location = "northcentralus"),
    "regions.secondary.location",
    /without availability zones.*e\.g\. 'centralus'/,
  ],
  ["misspelt region", (c) => (c.regions.primary.location = "westeurop"), "regions.primary.location", /did you mean 'westeurope'\?/],
  ["Cloudflare zone ID equals the account ID", (c) => (c.cloudflare.zoneId = c.cloudflare.accountId), "cloudflare.zoneId", /equals cloudflare\.accountId/],
  [
    "remote state without a Key Vault path for the runner",
    (c) => (c.backend = { type: "azurerm", resourceGroupName: "rg", storageAccountName: "tfstate1", containerName: "tfstate" }),
    "keyVault.allowedCidrs",
    /ForbiddenByFirewall.*runnerSubnetIds/,
  ],
  ["standby in primary zone", (c) => (c.mysql = { primaryZone: "2", standbyZone: "2" }), "mysql.standbyZone", /must differ from primaryZone/],
  ["backup retention below the policy", (c) => (c.mysql = { backupRetentionDays: 14 }), "mysql.backupRetentionDays", /at least 30 days \(policy BP-MYSQL-1\)/],
  ["geo-redundant backup off", (c) => (c.mysql = { geoRedundantBackup: false }), "mysql.geoRedundantBackup", /must be true/],
  [
    "misspelt field",
    (c) => (c.mysql = { backupRetentionDay: 35 }),
    "mysql",
    /unknown field\(s\) 'backupRetentionDay': fix the spelling \('backupRetentionDay' -> 'backupRetentionDays'\) or remove them/,
  ],
  ["misspelt top-level field", (c) => (c.regons = c.regions), "(root)", /unknown field\(s\) 'regons': fix the spelling \('regons' -> 'regions'\)/],
  ["misspelt nested field", (c) => (c.regions.primary.shortname = "weu"), "regions.primary", /'shortname' -> 'shortName'/],
  [
    "unknown field far from any known one: no guess",
    (c) => (c.frontends = { colour: "blue" }),
    "frontends",
    /unknown field\(s\) 'colour': remove them or fix the spelling \(see docs\/config-reference\.md\)$/,
  ],
  ["wrong type", (c) => (c.frontends.maxInstances = "10"), "frontends.maxInstances", /must be a number, not string/],
  ["unknown enum value", (c) => (c.size = "huge"), "size", /must be one of "small", "medium", "large"/],
  ["removed promoteReplica", (c) => (c.mysql = { promoteReplica: true }), "mysql.promoteReplica", /replaced by mysql.source/],
  [
    "old primary as a replica after promotion",
    (c) => (c.mysql = { source: "secondary", readReplica: true }),
    "mysql.generation.primary",
    /set generation.primary to at least 2/,
  ],
  [
    "promoted server as a replica after failback",
    (c) => (c.mysql = { source: "primary", generation: { primary: 2 } }),
    "mysql.generation.secondary",
    /set generation.secondary to at least 2/,
  ],
  ["password instead of SSH key", (c) => (c.admin.sshPublicKey = "hunter2"), "admin.sshPublicKey", /OpenSSH public key/],
  ["reserved admin name", (c) => (c.admin.username = "admin"), "admin.username", /Azure refuses/],
  ["bad Cloudflare zone ID", (c) => (c.cloudflare.zoneId = "not-an-id"), "cloudflare.zoneId", /32-character hex/],
  ["bad subscription GUID", (c) => (c.azure.subscriptionId = "sub-1"), "azure.subscriptionId", /GUID/],
  [
    "names too long for Key Vault",
    (c) => {
      c.org = "contos";
      c.name = "analytic";
      c.environment = "stage";
    },
    "name",
    /max 24/,
  ],
  ["missing alert e-mail", (c) => delete c.alerts.email, "alerts.email", /is required: add it/],
  ["Azure-reserved admin name", (c) => (c.admin.username = "test"), "admin.username", /Azure refuses/],
  ["bad Key Vault CIDR", (c) => (c.keyVault = { allowedCidrs: ["203.0.113.7"] }), "keyVault.allowedCidrs[0]", /IPv4 CIDR/],
  ["unknown time zone", (c) => (c.matomo.timezone = "Europe/Nowhere"), "matomo.timezone", /IANA time zone such as 'UTC' or 'Europe\/Berlin'/],
  ["plain-http site URL", (c) => (c.matomo.siteUrl = "http://www.example.com"), "matomo.siteUrl", /https:\/\/ URL .*e\.g\. 'https:\/\/www\.example\.com'/],
  [
    "Super User login with a space",
    (c) => (c.matomo.superUserLogin = "super user"),
    "matomo.superUserLogin",
    /3-100 letters, digits or _ \. @ - \(a Matomo login\)/,
  ],
  [
    "trusted host with upper case",
    (c) => (c.matomo.extraTrustedHosts = ["Stats.example.com"]),
    "matomo.extraTrustedHosts[0]",
    /lower-case host name, e\.g\. 'stats\.example\.com'/,
  ],
];

describe("invalid configs are rejected with field, value and fix", () => {
  test.each(cases)("%s", (_name, patch, field, fix) => {
    const err = problemsOf(patch);
    const problem = err.problems.find((p) => p.field === field);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(fix);
    expect(err.message).toContain(`${field}:`);
    expect(err.message).toContain("received:");
  });

  test("the table covers at least 12 distinct fields", () => {
    expect(new Set(cases.map((c) => c[2])).size).toBeGreaterThanOrEqual(12);
  });

  test("every problem is reported at once, with the value received", () => {
    const err = problemsOf((c) => {
      c.matomo.version = "latest";
      c.hostname = "x.other.org";
      c.frontends.primaryMinInstances = 1;
      c.regions.secondary.addressSpace = c.regions.primary.addressSpace;
    });
    const fields = err.problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(["matomo.version", "hostname", "frontends.primaryMinInstances", "regions.secondary.addressSpace"]));
    expect(err.problems.find((p) => p.field === "matomo.version")!.received).toBe('"latest"');
    expect(err.message).toMatch(/Fix config\/environments\/bad\.ts; nothing was synthesized/);
  });

  test("missing and mistyped fields do not hide the rules across fields", () => {
    const err = problemsOf((c) => {
      delete c.cloudflare.accountId;
      c.hostname = "x.other.org";
      c.regions.primary.cloudflareCheckRegions = ["MARS"];
      c.frontends.maxInstances = 500;
    });
    expect(err.problems.map((p) => p.field).sort()).toEqual(
      ["cloudflare.accountId", "frontends.maxInstances", "hostname", "regions.primary.cloudflareCheckRegions[0]"].sort(),
    );
  });

  test("every problem message says what to do", () => {
    const err = problemsOf((c) => {
      delete c.cloudflare.accountId;
      c.size = "huge";
      c.mysql = { backupRetentionDays: 99 };
      c.regions.primary.cloudflareCheckRegions = [];
    });
    for (const p of err.problems) expect(p.message).toMatch(/add it|must be|needs|raise|lower|remove|fix/);
    expect(err.problems.length).toBe(4);
  });

  test("a missing field says so", () => {
    const err = problemsOf((c) => delete c.cloudflare.accountId);
    expect(err.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field: "cloudflare.accountId", received: "(missing)" })]));
  });

  test("an unknown environment names the known ones", () => {
    expect(() => loadEnvironment("staging")).toThrow(`Unknown environment 'staging'. Known: ${Object.keys(ENVIRONMENTS).join(", ")}`);
  });
});

describe("the shipped environments are valid", () => {
  test.each(Object.keys(ENVIRONMENTS))("%s", (name) => {
    const c = loadEnvironment(name);
    expect(c.environment).toMatch(/^[a-z]/);
    expect(c.mysql.backupRetentionDays).toBe(35);
    expect(c.mysql.geoRedundantBackup).toBe(true);
  });

  test("defaults are applied", () => {
    const c = parseConfig("fixture", base());
    expect(c.mysql).toMatchObject({
      version: "8.0.21",
      primaryZone: "1",
      standbyZone: "2",
      readReplica: true,
      source: "primary",
      generation: { primary: 1, secondary: 1 },
      sqlGenerateInvisiblePrimaryKey: "OFF",
    });
    expect(c.cloudflare.sessionAffinity).toBe("none");
    expect(c.compute.encryptionAtHost).toBe(true);
    expect(c.keyVault.allowedCidrs).toEqual([]);
  });
});

test("Matomo 4 is refused: the provisioning supports Matomo 5 only", () => {
  expect(() => parseConfig("old", { ...base(), matomo: { ...base().matomo, version: "4.16.1" } })).toThrow(/matomo\.version: must be a Matomo 5 release/);
});

describe("one environment value per environment file", () => {
  test("two files with the same environment value are rejected, naming the other file", () => {
    const twin = { ...base(), environment: "ex" };
    expect(() => loadEnvironment("example", { example: base(), copy: twin })).toThrow(
      /environment: is also used by config\/environments\/copy\.ts.*share Terraform state keys/,
    );
  });
  test("distinct values load", () => {
    expect(loadEnvironment("example", { example: base(), copy: { ...base(), environment: "copy" } }).environment).toBe("ex");
  });
  test("the shipped environments use distinct values", () => {
    const values = Object.values(ENVIRONMENTS).map((e) => e.environment);
    expect(new Set(values).size).toBe(values.length);
  });
});
