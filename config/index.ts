import { BlueprintConfig, BlueprintConfigInput } from "./schema";
import { parseConfig } from "./load";
import { example } from "./environments/example";
import { prod } from "./environments/prod";

export * from "./schema";
export * from "./load";
export * from "./presets";

/** Every environment this repository deploys. Add a file and a line here for a new one. */
export const ENVIRONMENTS: Readonly<Record<string, BlueprintConfigInput>> = { example, prod };

/** Loads and validates the named environment; throws a ConfigError listing all problems. */
export function loadEnvironment(name: string): BlueprintConfig {
  const input = ENVIRONMENTS[name];
  if (!input) {
    throw new Error(`Unknown environment '${name}'. Known: ${Object.keys(ENVIRONMENTS).join(", ")}. Set MATOMO_ENV to one of them.`);
  }
  return parseConfig(name, input);
}
