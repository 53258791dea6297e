import * as fs from "fs";
import * as path from "path";
import { sourceFile } from "../common/source-file";

/**
 * The scripts, templates and public keys under files/, read at synth time.
 * tsc does not copy them to dist/, so when running compiled code the source
 * tree is used (dist/modules/cloud-init -> modules/cloud-init).
 */
let filesDir: string | undefined;

function assetsDir(): string {
  filesDir ??= path.dirname(sourceFile(__dirname, "modules/cloud-init", path.join("files", "provision.sh")));
  return filesDir;
}

/** Reads files/<name>; line endings normalised so output is identical on every OS. */
export function readAsset(name: string): string {
  return fs.readFileSync(path.join(assetsDir(), name), "utf8").replace(/\r\n/g, "\n");
}

/** Reads files/<name> if it exists (the optional embedded release key). */
export function readOptionalAsset(name: string): string | undefined {
  const file = path.join(assetsDir(), name);
  return fs.existsSync(file) ? readAsset(name) : undefined;
}

/**
 * Replaces every `{{NAME}}` in a template. Unknown or unused names throw, so a
 * renamed placeholder cannot slip through to a VM.
 */
export function fillTemplate(name: string, text: string, values: Readonly<Record<string, string | number>>): string {
  const used = new Set<string>();
  const out = text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_m, key: string) => {
    if (!(key in values)) throw new Error(`template ${name}: no value for {{${key}}}`);
    used.add(key);
    return String(values[key]);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`template ${name}: unused values ${unused.join(", ")}`);
  return out;
}
