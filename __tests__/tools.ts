import * as fs from "fs";
import * as path from "path";

/** Whether `cmd` is an executable on PATH. */
export function onPath(cmd: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * A real tool a test runs. When it is missing the test fails in CI (CI must
 * install the Debian package) and is skipped elsewhere, loudly and with the
 * package named: never a silent pass. `label` is appended to test names.
 */
export function tool(cmd: string, debianPackage: string): { available: boolean; test: jest.It; label: string } {
  if (onPath(cmd)) return { available: true, test, label: "" };
  const hint = `'${cmd}' not found: apt-get install ${debianPackage}`;
  if (process.env.CI) {
    const failing = ((name: string) =>
      test(name, () => {
        throw new Error(`${hint} (CI must install the Debian package '${debianPackage}')`);
      })) as unknown as jest.It;
    return { available: false, test: failing, label: "" };
  }

  console.warn(`SKIPPED: ${hint}`);
  return { available: false, test: test.skip, label: ` [SKIPPED: ${hint}]` };
}
