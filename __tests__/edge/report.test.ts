import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleSynth } from "../helpers";
import { outsideReferences } from "../delivery/standalone";

interface ReportModule {
  main(argv: string[]): number;
  loadStacks(outdir: string): any;
  computeBudget(stacks: any): any;
  formatBudget(budget: any): string;
}
// Plain Node script (no build step); typed here by hand.

const report = require("../../scripts/report.js") as ReportModule;

function run(argv: string[]): { rc: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((m) => void out.push(String(m)));
  const error = jest.spyOn(console, "error").mockImplementation((m) => void err.push(String(m)));
  try {
    return { rc: report.main(argv), out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

let outdir: string;
beforeAll(() => {
  // The run's shared synth of the example (read-only: tests that change it work on a copy).
  outdir = exampleSynth().dir;
});

test("without a synthesized edge stack it says what to do and exits 1", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
  const { rc, err } = run(["--outdir", empty]);
  expect(rc).toBe(1);
  expect(err).toMatch(/stacks\/edge\/cdk\.tf\.json not found: run `npm run synth` first/);
});

test("an output without facts.json (synthesized by an older version) is refused with the fix", () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
  fs.cpSync(outdir, copy, { recursive: true });
  fs.rmSync(path.join(copy, "facts.json"));
  const { rc, err } = run(["--outdir", copy]);
  expect(rc).toBe(1);
  expect(err).toMatch(/facts\.json not found: run `npm run synth` again/);
});

test("Pro: detection 0-75 s from the synthesized monitor, with the derivation", () => {
  const b = report.computeBudget(report.loadStacks(outdir));
  expect(b.edge.plan).toBe("pro");
  expect(b.edge.monitor).toMatchObject({
    interval: 60,
    timeout: 5,
    retries: 2,
    consecutiveDown: 1,
    bestSeconds: 0,
    worstFastSeconds: 60,
    worstTimeoutSeconds: 75,
  });
  expect(b.edge.loadBalancer).toMatchObject({
    proxied: true,
    steering: "off",
    order: ["ctso-matomo-ex-weu-pool", "ctso-matomo-ex-neu-pool"],
    fallback: "ctso-matomo-ex-neu-pool",
    failoverAcrossPools: true,
  });
  expect(b.edge.pools.map((p: any) => p.probingDataCentres)).toEqual([3, 6]);
  const { rc, out } = run(["--outdir", outdir]);
  expect(rc).toBe(0);
  expect(out).toContain("worst case, hung origin: 75 s = 1 x 60 s + (2 + 1) x 5 s");
});

test("the MySQL and Files figures follow the data stack", () => {
  const b = report.computeBudget(report.loadStacks(outdir));
  expect(b.data.mysql).toMatchObject({
    haMode: "ZoneRedundant",
    zone: "1",
    standbyZone: "2",
    backupRetentionDays: 35,
    geoRedundantBackup: true,
    replica: { location: "northeurope", promoted: false },
  });
  expect(b.data.files.map((f: any) => f.replication)).toEqual(["ZRS", "ZRS"]);
  const text = report.formatBudget(b);
  expect(text).toContain("RTO 60-120 s, RPO 0");
  expect(text).toContain("manual promotion of the replica in northeurope");
  expect(text).toMatch(/https:\/\/learn\.microsoft\.com\/azure\/mysql\/flexible-server\/concepts-read-replicas/);
});

test("every figure line names its source", () => {
  const lines = report.formatBudget(report.computeBudget(report.loadStacks(outdir))).split("\n");
  const figures = lines.filter((l) => /^ {2}\S/.test(l) && /\d+ s\b|RPO|RTO/.test(l));
  expect(figures.length).toBeGreaterThan(10);
  for (const l of figures) expect(lines[lines.indexOf(l) + 1]).toMatch(/^ {6}\[.+\]$/);
});

test("numbers are computed from the JSON, not fixed: a changed monitor changes the report", () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
  fs.cpSync(outdir, copy, { recursive: true });
  const file = path.join(copy, "stacks/edge/cdk.tf.json");
  const edge = JSON.parse(fs.readFileSync(file, "utf8"));
  const monitor: any = Object.values(edge.resource.cloudflare_load_balancer_monitor)[0];
  Object.assign(monitor, { interval: 15, timeout: 5, retries: 1, consecutive_down: 2 });
  fs.writeFileSync(file, JSON.stringify(edge));
  const factsFile = path.join(copy, "facts.json");
  fs.writeFileSync(factsFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(factsFile, "utf8")), edge: { plan: "business" } }));
  const b = report.computeBudget(report.loadStacks(copy));
  expect(b.edge.monitor).toMatchObject({ bestSeconds: 15, worstFastSeconds: 30, worstTimeoutSeconds: 40 });
  expect(b.edge.planFloorSeconds).toBe(15);
});

test("app stacks, when present, give the LB probe detection; the shared-files copy interval comes from facts.json", () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
  fs.cpSync(outdir, copy, { recursive: true });
  for (const stack of fs.readdirSync(path.join(copy, "stacks")).filter((s) => s.startsWith("app-")))
    fs.rmSync(path.join(copy, "stacks", stack), { recursive: true });
  fs.mkdirSync(path.join(copy, "stacks/app-weu"));
  const app = {
    resource: {
      azurerm_lb_probe: { p: { interval_in_seconds: 5, probe_threshold: 2, protocol: "Https" } },
    },
  };
  fs.writeFileSync(path.join(copy, "stacks/app-weu/cdk.tf.json"), JSON.stringify(app));
  const factsFile = path.join(copy, "facts.json");
  fs.writeFileSync(factsFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(factsFile, "utf8")), sharedFiles: { syncIntervalSeconds: 420 } }));
  const b = report.computeBudget(report.loadStacks(copy));
  expect(b.web.regions).toEqual([{ stack: "app-weu", probes: [{ interval: 5, threshold: 2, detectionSeconds: 10 }], zones: [] }]);
  expect(b.syncIntervalSeconds).toBe(420);
  expect(report.formatBudget(b)).toContain("RPO = archiver copy interval 420 s");
});

test("the printed report cites public sources, never a file outside the repository", () => {
  const text = report.formatBudget(report.computeBudget(report.loadStacks(outdir)));
  expect(outsideReferences(text)).toEqual([]);
  expect(text).toContain("https://developers.cloudflare.com/load-balancing/");
});
