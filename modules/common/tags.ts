import { BlueprintConfig } from "../../config";

/** Tags on every Azure resource: the config's own plus three the blueprint owns. */
export function standardTags(config: BlueprintConfig): Record<string, string> {
  return {
    ...config.tags,
    environment: config.environment,
    workload: config.name,
    "managed-by": "cdktf",
  };
}
