import { BlueprintConfig, BlueprintConfigInput } from "./schema";
import { ConfigError, parseConfig } from "./load";
import { example } from "./environments/example";
import { prod } from "./environments/prod";

export * from "./schema";
export * from "./load";
export * from "./presets";

/** Every environment this repository deploys. Add a file and a line here for a new one. */
export const ENVIRONMENTS: Readonly<Record<string, BlueprintConfigInput>> = { example, prod };

/** Loads and validates the named environment; throws a ConfigError listing all problems. */
export function loadEnvironment(name: string, environments: Readonly<Record<string, BlueprintConfigInput>> = ENVIRONMENTS): BlueprintConfig {
  const input = environments[name];
  if (!input) {
    throw new Error(`Unknown environment '${name}'. Known: ${Object.keys(environments).join(", ")}. Set MATOMO_ENV to one of them.`);
  }
  const config = parseConfig(name, input);
  // The `environment` value keys the state files and every resource name: two files with the same one would overwrite each other.
  const twins = Object.entries(environments).filter(([other, c]) => other !== name && (c as { environment?: unknown }).environment === config.environment).map(([other]) => other);
  if (twins.length > 0) {
    throw new ConfigError(name, [{
      field: "environment",
      received: JSON.stringify(config.environment),
      message: `is also used by config/environments/${twins.join(", ")}.ts: both would share Terraform state keys and Azure resource names; give each environment its own value`,
    }]);
  }
  return config;
}
