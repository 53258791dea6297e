/**
 * The operations runbooks share one shape, so that whoever is on call finds
 * the same things in the same place: when to use it, what to check before,
 * the steps, what to check after, and how to roll back.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./support";

const RUNBOOKS = [
  "bootstrap-state.md",
  "region-failover.md",
  "restore-from-backup.md",
  "rotate-secrets.md",
  "add-matomo-plugin.md",
  "scale.md",
  "recover-archiver.md",
  "change-matomo-settings.md",
];
const SECTIONS = [/^## When to use$/m, /^## Before$/m, /^## Steps\b/m, /^## After$/m, /^## Rollback$/m];

test.each(RUNBOOKS.map((f) => [f]))("docs/runbooks/%s has when / before / steps / after / rollback, in that order", (file) => {
  const text = fs.readFileSync(path.join(REPO_ROOT, "docs", "runbooks", file), "utf8");
  expect(text).toMatch(/^# Runbook: /);
  const positions = SECTIONS.map((re) => text.search(re));
  expect(positions.every((p) => p > 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});
