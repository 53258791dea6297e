import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");
// A PATH with node but without Terraform (installed in /usr/local/bin here and on CI runners).
const PATH = [...new Set([path.dirname(process.execPath), "/usr/bin", "/bin"])].join(":");
const noTerraform = PATH.split(":").every((d) => !fs.existsSync(path.join(d, "terraform")));

(noTerraform ? test : test.skip)("without Terraform, plan:offline skips loudly on a laptop and fails in CI", () => {
  const runIt = (ci: boolean) =>
    spawnSync(process.execPath, [path.join(root, "scripts", "plan-offline.js")], {
      cwd: root,
      encoding: "utf8",
      env: { PATH, HOME: process.env.HOME ?? "/root", ...(ci ? { CI: "true" } : {}) },
    });
  const laptop = runIt(false);
  const ci = runIt(true);
  expect([laptop.status, ci.status]).toEqual([0, 1]);
  for (const r of [laptop, ci]) expect(r.stderr).toContain("SKIPPED plan:offline: 'terraform' not found on PATH");
});
