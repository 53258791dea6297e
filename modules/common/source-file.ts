import * as fs from "fs";
import * as path from "path";

/**
 * Path of a non-TypeScript file shipped beside a module's sources (scripts,
 * templates). tsc does not copy such files to dist/, so compiled code
 * (dist/modules/<name>/) reads them from the source tree (modules/<name>/).
 * @param moduleDirname the module's `__dirname`
 * @param moduleSourceDir the module's folder in the repository, e.g. `modules/key-vault`
 * @param name the file, relative to that folder
 */
export function sourceFile(moduleDirname: string, moduleSourceDir: string, name: string): string {
  const candidates = [path.join(moduleDirname, name), path.resolve(moduleDirname, "..", "..", "..", moduleSourceDir, name)];
  const found = candidates.find((f) => fs.existsSync(f));
  if (found === undefined) throw new Error(`${moduleSourceDir}: ${name} not found (looked in ${candidates.join(", ")})`);
  return found;
}
