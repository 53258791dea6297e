import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { discoverEnvironments, ENVIRONMENTS } from "../../config";

function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envs-"));
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
  return dir;
}

describe("one file in config/environments/ is one environment", () => {
  test("the shipped files are the environments", () => {
    const files = fs
      .readdirSync(path.join(__dirname, "..", "..", "config", "environments"))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(Object.keys(ENVIRONMENTS).sort()).toEqual(files);
  });
  test("a new file is picked up by its name, named or default export", () => {
    const dir = dirWith({ "acme.js": "exports.acme = { environment: 'acme' };", "staging-eu.js": "exports.default = { environment: 'stg' };", "notes.md": "" });
    expect(discoverEnvironments(dir)).toEqual({ acme: { environment: "acme" }, "staging-eu": { environment: "stg" } });
  });
  test("a file exporting two configs is refused, naming the file", () => {
    const dir = dirWith({ "two.js": "exports.a = { environment: 'a' }; exports.b = { environment: 'b' };" });
    expect(() => discoverEnvironments(dir)).toThrow(/config\/environments\/two\.js must export exactly one environment config object \(found 2\)/);
  });
});
