/**
 * The VM payloads exactly as Azure receives them: the example environment is
 * synthesized with the project's own code and each VM's `custom_data` is
 * decoded from the Terraform JSON. Nothing here re-renders or copies a script.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { BlueprintConfigInput, ENVIRONMENTS, parseConfig } from "../config";
import { synthesizeEnvironment } from "../stacks/synthesize";

export interface PayloadFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}

/** What cloud-init would do with one `#cloud-config`: packages, files, commands. */
export interface Payload {
  readonly packages: readonly string[];
  readonly files: readonly PayloadFile[];
  readonly runcmd: readonly (readonly string[])[];
  readonly timezone?: string;
}

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadError";
  }
}

/** Parses a rendered `#cloud-config` into the parts the rehearsal executes. */
export function extractPayload(text: string): Payload {
  if (!text.startsWith("#cloud-config\n")) throw new PayloadError("custom data does not start with '#cloud-config'");
  const doc = parse(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== "object") throw new PayloadError("custom data is not a YAML mapping");
  const files = doc.write_files;
  if (!Array.isArray(files) || files.length === 0) throw new PayloadError("custom data has no write_files");
  const out: PayloadFile[] = files.map((f: Record<string, unknown>, i: number) => {
    if (typeof f?.path !== "string" || !f.path.startsWith("/"))
      throw new PayloadError(`write_files[${i}].path must be an absolute path (got ${JSON.stringify(f?.path)})`);
    if (typeof f.content !== "string") throw new PayloadError(`write_files[${i}] (${f.path}) has no content`);
    if (f.encoding !== undefined) throw new PayloadError(`write_files[${i}] (${f.path}): encoding '${String(f.encoding)}' is not supported by the rehearsal`);
    const permissions = typeof f.permissions === "string" ? f.permissions : "0644";
    if (!/^0[0-7]{3}$/.test(permissions)) throw new PayloadError(`write_files[${i}] (${f.path}): permissions must be octal like '0644' (got ${permissions})`);
    return { path: f.path, owner: typeof f.owner === "string" ? f.owner : "root:root", permissions, content: f.content };
  });
  const runcmd = doc.runcmd;
  if (!Array.isArray(runcmd) || runcmd.some((c) => !Array.isArray(c) || c.some((a: unknown) => typeof a !== "string"))) {
    throw new PayloadError("runcmd must be a list of argument lists (strings only)");
  }
  const packages = Array.isArray(doc.packages) ? doc.packages.map(String) : [];
  return { packages, files: out, runcmd: runcmd as string[][], timezone: typeof doc.timezone === "string" ? doc.timezone : undefined };
}

/** One file of a payload by path; throws naming the path when it is absent. */
export function payloadFile(p: Payload, filePath: string): PayloadFile {
  const f = p.files.find((x) => x.path === filePath);
  if (!f) throw new PayloadError(`payload has no file ${filePath}`);
  return f;
}

/** `KEY='value'` lines of the rendered env file (single-quoted, `'\''` escapes). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([A-Z_][A-Z0-9_]*)='((?:[^']|'\\'')*)'$/.exec(line);
    if (!m) throw new PayloadError(`env file line is not KEY='value': ${line}`);
    env[m[1]] = m[2].replace(/'\\''/g, "'");
  }
  return env;
}

export interface CronLine {
  readonly schedule: string;
  readonly user: string;
  readonly command: string;
}

/** Job lines of a rendered /etc/cron.d file (five schedule fields, user, command). */
export function parseCron(text: string): CronLine[] {
  const jobs: CronLine[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#") || /^[A-Z_]+=/.test(line)) continue;
    const m = /^(\S+ \S+ \S+ \S+ \S+) (\S+) (.+)$/.exec(line);
    if (!m) throw new PayloadError(`cron line has no schedule, user and command: ${line}`);
    jobs.push({ schedule: m[1], user: m[2], command: m[3] });
  }
  return jobs;
}

/** A synthesized resource as far as the rehearsal reads it. */
interface SynthResource {
  readonly "//"?: { readonly metadata?: { readonly path?: string } };
  readonly custom_data?: string;
}

/** The decoded custom data of the single resource of `type` whose construct path ends with `suffix`. */
export function customDataOf(
  stack: { readonly resource?: Readonly<Record<string, Readonly<Record<string, SynthResource>>>> },
  type: string,
  suffix: string,
): string {
  const hits = Object.values(stack.resource?.[type] ?? {}).filter((r) => r?.["//"]?.metadata?.path?.endsWith(suffix) === true);
  if (hits.length !== 1) throw new PayloadError(`expected one ${type} at *${suffix}, found ${hits.length}`);
  const b64 = hits[0].custom_data;
  if (typeof b64 !== "string" || !/^[A-Za-z0-9+/=]+$/.test(b64)) throw new PayloadError(`${type} at *${suffix}: custom_data is not plain base64`);
  return Buffer.from(b64, "base64").toString("utf8");
}

export interface RegionPayloads {
  readonly frontend: string;
  readonly archiver: string;
}

/**
 * Synthesizes the example environment (with `patch` applied to its config, e.g.
 * the Matomo version or `mysql.source`) and returns the primary region's
 * frontend and archiver custom data.
 */
export function synthesizePayloads(patch: (c: BlueprintConfigInput) => void, workDir: string): RegionPayloads {
  const input = JSON.parse(JSON.stringify(ENVIRONMENTS.example)) as BlueprintConfigInput;
  patch(input);
  const config = parseConfig("rehearsal", input);
  const outdir = fs.mkdtempSync(path.join(workDir || os.tmpdir(), "synth-"));
  try {
    synthesizeEnvironment(config, path.join(outdir, "cdktf.out"), undefined, { log: () => undefined });
    const id = `app-${config.regions.primary.shortName}`;
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "cdktf.out", "stacks", id, "cdk.tf.json"), "utf8"));
    return {
      frontend: customDataOf(stack, "azurerm_linux_virtual_machine_scale_set", "Frontends/Resource"),
      archiver: customDataOf(stack, "azurerm_linux_virtual_machine", "Archiver/Resource"),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
