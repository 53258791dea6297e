import { BlueprintConfig, BlueprintConfigInput } from "./schema";
import { ConfigError, exportedConfig, parseConfig } from "./load";
import * as fs from "fs";
import * as path from "path";

export * from "./schema";
export * from "./load";
export * from "./presets";

/** Name of an environment file: what MATOMO_ENV selects and CI lists. */
const ENVIRONMENT_FILE = /^([a-z][a-z0-9-]*)\.(ts|js)$/;

/**
 * Reads config/environments/: each `<name>.ts` is one environment, exporting
 * its config (as a named or default export). A new file is all a new
 * environment needs; nothing else lists them.
 */
export function discoverEnvironments(dir: string = path.join(__dirname, "environments")): Record<string, BlueprintConfigInput> {
  const found: Record<string, BlueprintConfigInput> = {};
  for (const file of fs.readdirSync(dir).sort()) {
    const m = ENVIRONMENT_FILE.exec(file);
    if (!m || file.endsWith(".d.ts")) continue;
    found[m[1]] = exportedConfig(require(path.join(dir, file)) as Record<string, unknown>, `config/environments/${file}`);
  }
  return found;
}

/** Every environment this repository deploys, one per file in config/environments/. */
export const ENVIRONMENTS: Readonly<Record<string, BlueprintConfigInput>> = discoverEnvironments();

/** Loads and validates the named environment; throws a ConfigError listing all problems. */
export function loadEnvironment(name: string, environments: Readonly<Record<string, BlueprintConfigInput>> = ENVIRONMENTS): BlueprintConfig {
  const input = environments[name];
  if (!input) {
    throw new Error(`Unknown environment '${name}'. Known: ${Object.keys(environments).join(", ")}. Set MATOMO_ENV to one of them.`);
  }
  const config = parseConfig(name, input);
  // The `environment` value keys the state files and every resource name: two files with the same one would overwrite each other.
  const twins = Object.entries(environments)
    .filter(([other, c]) => other !== name && (c as { environment?: unknown }).environment === config.environment)
    .map(([other]) => other);
  if (twins.length > 0) {
    throw new ConfigError(name, [
      {
        field: "environment",
        received: JSON.stringify(config.environment),
        message: `is also used by config/environments/${twins.join(", ")}.ts: both would share Terraform state keys and Azure resource names; give each environment its own value`,
      },
    ]);
  }
  return config;
}
