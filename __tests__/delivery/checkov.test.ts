/**
 * .checkov.yaml: the scan targets the synthesized JSON, and every skipped
 * check carries its reason (a comment block right above it, or inline).
 * A skipped check that the blueprint's own policy pack enforces must name the
 * blueprint rule that covers it, and every rule named must exist.
 */
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { ALL_RULES } from "../../policies/rules";
import { REPO_ROOT } from "./support";

const file = path.join(REPO_ROOT, ".checkov.yaml");
const text = fs.readFileSync(file, "utf8");
const parsed = parseDocument(text, { uniqueKeys: true });
const config = parsed.toJS();
const skips: string[] = config["skip-check"] ?? [];
const lines = text.split("\n");

/** The comment that explains a skip: trailing on its line, or the comment block directly above it. */
function reasonFor(id: string): string {
  const at = lines.findIndex((l) => new RegExp(`^\\s*-\\s*${id}\\b`).test(l));
  if (at < 0) return "";
  const inline = /#\s*(.*)$/.exec(lines[at])?.[1] ?? "";
  const block: string[] = [];
  for (let i = at - 1; i >= 0 && /^\s*#/.test(lines[i]); i--) block.unshift(lines[i].replace(/^\s*#\s?/, ""));
  return `${block.join(" ")} ${inline}`.trim();
}

test("parses, scans terraform_json offline", () => {
  expect(parsed.errors).toEqual([]);
  expect(config.framework).toEqual(["terraform_json"]);
  expect(config["skip-download"]).toBe(true);
});

test("skips are Checkov IDs, each once, and few", () => {
  expect(skips.length).toBeGreaterThan(0);
  for (const id of skips) expect(id).toMatch(/^CKV2?_[A-Z]+_\d+$/);
  expect(new Set(skips).size).toBe(skips.length);
  // Keep the list minimal: a longer list needs a look at the code instead.
  expect(skips.length).toBeLessThanOrEqual(10);
});

test.each(skips.map((id) => [id]))("%s has a reason", (id) => {
  const reason = reasonFor(id);
  expect(reason.split(/\s+/).filter(Boolean).length).toBeGreaterThanOrEqual(12);
});

test("a skipped check that a blueprint rule enforces names that rule; every rule named exists", () => {
  const ruleIds = new Set(ALL_RULES.map((r) => r.id));
  for (const id of skips) {
    const enforcing = ALL_RULES.filter((r) => r.checkovId === id).map((r) => r.id);
    for (const rule of enforcing) expect(`${id}: ${reasonFor(id)}`).toContain(rule);
  }
  for (const named of text.match(/BP-[A-Z]+-\d+/g) ?? []) expect([...ruleIds]).toContain(named);
});

test("CI runs Checkov with this file on cdktf.out", () => {
  const pr = fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", "pull-request.yml"), "utf8");
  expect(pr).toMatch(/checkov --config-file \.checkov\.yaml --directory cdktf\.out --framework terraform_json/);
});
