import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { exampleConfig, exampleSynth, freshSynth } from "../helpers";
import { synthesizeEnvironment } from "../../stacks/synthesize";

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

test("two synths of the same config are byte-identical", () => {
  // The run's shared synth (another process, earlier) against a fresh one.
  const a = filesOf(exampleSynth().dir);
  const b = filesOf(freshSynth(exampleConfig()).dir);
  expect(Object.keys(a).length).toBeGreaterThan(2);
  expect(b).toEqual(a);
});

test("a failed synth leaves the previous output untouched and no staging folder", () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "determinism-")), "cdktf.out");
  fs.cpSync(exampleSynth().dir, dir, { recursive: true });
  const before = filesOf(dir);
  const failing = () => {
    throw new Error("policy failure");
  };
  expect(() => synthesizeEnvironment(exampleConfig(), dir, failing)).toThrow("policy failure");
  expect(filesOf(dir)).toEqual(before);
  expect(fs.existsSync(`${dir}.staging`)).toBe(false);
});
