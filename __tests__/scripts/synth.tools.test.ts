import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");
const built = fs.existsSync(path.join(root, "dist", "main.js"));
// .ci/run synthesizes (and so builds) before the tests: a missing build there is a failure, not a skip.
if (!built && process.env.CI) test("dist/main.js is built in CI", () => expect(built).toBe(true));
if (!built) console.warn("SKIPPED: dist/main.js missing (run `npm run synth` first); the synth script's CI output is not checked");

(built ? test : test.skip)("npm run synth in CI (no terminal) prints plain lines: no spinner frames, no terminal control codes", () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "synth-script-")), "cdktf.out");
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "synth.js")], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, MATOMO_ENV: "example", CDKTF_OUTDIR: outdir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  expect({ status: r.status, output: r.status === 0 ? "" : (r.stdout + r.stderr).slice(-800) }).toEqual({ status: 0, output: "" });
  const out = r.stdout + r.stderr;
  expect(out).toMatch(/^Generated Terraform code for the stacks: .*core, data, edge$/m);
  // eslint-disable-next-line no-control-regex -- looking for terminal control codes is the point
  expect(out).not.toMatch(/[\u2800-\u28ff]|\u001b\[/); // spinner frames, terminal control codes
  const lines = out.split("\n").filter(Boolean);
  expect(new Set(lines).size).toBe(lines.length);
  expect(fs.existsSync(path.join(outdir, "policy-report.json"))).toBe(true);
});
