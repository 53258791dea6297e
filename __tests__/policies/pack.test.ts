import { App, TerraformStack, Testing, Aspects } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { BlueprintChecks, POLICY_REPORT_FILE, PolicyFinding, policyReport, policyReportLines } from "../../policies/pack";
import { suppressRule } from "../../policies/suppressions";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleConfig, exampleSynth, synthAll } from "../helpers";
import { BlueprintConfig } from "../../config";
import { CoreStack } from "../../stacks/core-stack";
import { synthesizeEnvironment } from "../../stacks/synthesize";

function stackWithStorage(configure: (sa: StorageAccount) => void = () => undefined) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "t");
  new AzurermProvider(stack, "azurerm", { features: [{}], subscriptionId: "00000000-0000-0000-0000-000000000000" });
  const sa = new StorageAccount(stack, "sa", {
    name: "x",
    location: "westeurope",
    resourceGroupName: "rg",
    accountTier: "Premium",
    accountReplicationType: "LRS",
    accountKind: "FileStorage",
  });
  configure(sa);
  const checks = new BlueprintChecks();
  Aspects.of(stack).add(checks);
  return { app, stack, checks };
}

const errorsOf = (stack: TerraformStack) =>
  stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/error").map((m) => String(m.data)));

test("a violation becomes an error annotation naming the rule and the Checkov ID", () => {
  const { stack, checks } = stackWithStorage();
  Testing.synth(stack);
  const errors = errorsOf(stack);
  expect(errors).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\[BP-STORAGE-3\] Storage accounts must be zone-redundant/),
      expect.stringMatching(/\[BP-STORAGE-1\] \(Checkov CKV_AZURE_59\)/),
    ]),
  );
  expect(checks.findings.filter((f) => f.result === "NON_COMPLIANT").length).toBe(errors.length);
});

test("an error annotation fails synthesis", () => {
  const { app } = stackWithStorage();
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  expect(() => app.synth()).toThrow(/BP-STORAGE-3/);
});

test("a suppression with a reason silences one rule and is reported", () => {
  const { stack, checks } = stackWithStorage((sa) => suppressRule(sa, "BP-STORAGE-3", "test: premium NFS in a region without ZRS support"));
  Testing.synth(stack);
  expect(errorsOf(stack).some((e) => e.includes("BP-STORAGE-3"))).toBe(false);
  expect(checks.findings).toEqual(
    expect.arrayContaining([expect.objectContaining({ ruleId: "BP-STORAGE-3", result: "SUPPRESSED", reason: expect.stringContaining("ZRS") })]),
  );
  expect(errorsOf(stack).some((e) => e.includes("BP-STORAGE-1"))).toBe(true);
});

test("a suppression without a real reason is refused", () => {
  expect(() => stackWithStorage((sa) => suppressRule(sa, "BP-STORAGE-3", "because"))).toThrow(/reason must explain why/);
  expect(() => stackWithStorage((sa) => suppressRule(sa, "storage-3", "a long enough reason for the test"))).toThrow(/not a rule ID/);
});

test("the example environment passes every rule; removing a protection fails synthesis and writes nothing", () => {
  // The run's shared synth of the example passed every rule (its report says so); weakening one protection fails.
  const shared = JSON.parse(fs.readFileSync(path.join(exampleSynth().dir, POLICY_REPORT_FILE), "utf8"));
  expect(shared.summary).toMatchObject({ NON_COMPLIANT: 0, SUPPRESSED: 0 });
  expect(shared.summary.COMPLIANT).toBeGreaterThan(50);
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bp-")), "cdktf.out");
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  // Only the stack that holds the vault: the pack fails the whole synth on one error.
  const weakened = (app: App, config: BlueprintConfig) => {
    const core = new CoreStack(app, "core", { config });
    core.vault.vault.purgeProtectionEnabled = false;
    const checks = new BlueprintChecks();
    Aspects.of(core).add(checks);
    return { checks };
  };
  expect(() => synthesizeEnvironment(exampleConfig(), outdir, weakened)).toThrow(/BP-KV-1/);
  expect(fs.existsSync(outdir)).toBe(false);
  expect(fs.existsSync(`${outdir}.staging`)).toBe(false);
});

test("the pack runs on every stack of the blueprint", () => {
  const findings: PolicyFinding[] = JSON.parse(fs.readFileSync(path.join(exampleSynth().dir, POLICY_REPORT_FILE), "utf8")).findings;
  const stacksSeen = new Set(findings.map((f) => f.path.split("/")[0]));
  expect([...stacksSeen].sort()).toEqual(["app-neu", "app-weu", "core", "data", "edge"]);
  expect(findings.filter((f) => f.ruleId === "BP-STATE-1" && f.result === "COMPLIANT").length).toBeGreaterThanOrEqual(7);
  expect(findings.filter((f) => f.result === "NON_COMPLIANT")).toEqual([]);
});

describe("the policy report", () => {
  test("is written to cdktf.out with every finding; waivers and warnings are printed with their reasons", () => {
    // The same synth as `npm run synth` (shared with app.test.ts).
    const { dir: outdir, log: lines } = synthAll(exampleConfig((c) => (c.compute = { encryptionAtHost: false })));
    const report = JSON.parse(fs.readFileSync(path.join(outdir, POLICY_REPORT_FILE), "utf8"));
    expect(report.environment).toBe("ex");
    expect(report.rules.map((r: { id: string }) => r.id)).toContain("BP-VM-2");
    const waived = report.findings.filter((f: { result: string }) => f.result === "SUPPRESSED");
    expect(waived.length).toBeGreaterThan(0);
    expect(waived.every((f: { ruleId: string; reason: string }) => f.ruleId === "BP-VM-2" && /EncryptionAtHost/.test(f.reason))).toBe(true);
    expect(report.summary.SUPPRESSED).toBe(waived.length);
    expect(lines.filter((l) => l.startsWith("policy: SUPPRESSED BP-VM-2 on app-"))).toHaveLength(waived.length);
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^policy: \\d+ compliant, ${waived.length} suppressed, 0 non-compliant`));
    // The CLI prints annotations, so each waiver is also an info annotation in the manifest.
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const infos = Object.values<{ annotations: Array<{ level: string; message: string }> }>(manifest.stacks)
      .flatMap((s) => s.annotations)
      .filter((a) => a.level === "@cdktf/info");
    expect(infos.filter((a) => /^\[BP-VM-2\] suppressed: /.test(a.message))).toHaveLength(waived.length);
  });
  test("a warning-level finding is printed as a warning", () => {
    const lines = policyReportLines(policyReport("x", [{ ruleId: "BP-X-1", level: "warning", path: "s/r", result: "NON_COMPLIANT" }], []));
    expect(lines).toEqual(["policy: WARNING BP-X-1 on s/r", "policy: 0 compliant, 0 suppressed, 1 non-compliant over 0 rules (policy-report.json)"]);
  });
});
