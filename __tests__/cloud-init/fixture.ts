import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { MatomoHostSettings } from "../../modules/cloud-init";

/** Example settings shaped like the config the stacks will pass (no tokens, no secrets). */
export const FRONTEND_SETTINGS: MatomoHostSettings = {
  matomoVersion: "5.10.0",
  publicHostname: "analytics.example.com",
  trustedHosts: ["stats.example.com"],
  keyVaultName: "ctso-matomo-prod-kv",
  database: { host: "ctso-matomo-prod-mysql.mysql.database.azure.com" },
  share: { host: "ctsomatomoweu.file.core.windows.net", exportPath: "/ctsomatomoweu/matomo" },
  php: { fpmMaxChildren: 26 },
  timezone: "Europe/Berlin",
};

export const ARCHIVER_SETTINGS: MatomoHostSettings = {
  ...FRONTEND_SETTINGS,
  replicaShares: [{ host: "ctsomatomoneu.file.core.windows.net", exportPath: "/ctsomatomoneu/matomo" }],
  php: { fpmMaxChildren: 26, cliMemoryLimitMb: 3072 },
  superUser: { login: "superuser", email: "ops@example.com" },
  site: { name: "Example", url: "https://www.example.com" },
};

/**
 * Values that would live in Key Vault for this fixture. The renderer never
 * receives them; tests assert none of them (nor anything like them) shows up.
 */
export const FAKE_SECRET_VALUES = {
  dbPassword: "Db-Pa55word_for-tests.only",
  salt: "0123456789abcdef0123456789abcdef",
};

export interface WriteFile {
  path: string;
  owner: string;
  permissions: string;
  content: string;
}

export interface CloudConfig {
  packages: string[];
  write_files: WriteFile[];
  runcmd: string[][];
  timezone: string;
}

export function parseCloudConfig(yamlText: string): CloudConfig {
  return parse(yamlText) as CloudConfig;
}

export function fileAt(config: CloudConfig, filePath: string): WriteFile {
  const f = config.write_files.find((w) => w.path === filePath);
  if (!f) throw new Error(`no write_files entry for ${filePath}`);
  return f;
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `matomo-ci-${prefix}-`));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { env: options.env ?? process.env, cwd: options.cwd, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as NodeJS.ErrnoException).code === "number" ? Number((error as NodeJS.ErrnoException).code) : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export { tool } from "../tools";
