import { BlueprintConfig, KNOWN_VM_SKUS, SIZE_PRESETS, SizePresetValues } from "../../config";
import { connectionBudget } from "../../config/capacity";

/** Concrete sizes after applying the preset and the config's overrides. */
export interface ResolvedSizing extends Omit<SizePresetValues, "archiverMemoryGiB"> {
  /** Most frontends one region can have: the autoscale ceiling plus, with `compute.maximumSurge`, the surge batch of a rolling upgrade. */
  readonly maxFrontendsDuringRollout: number;
  /** `pm.max_children` of each frontend's PHP-FPM pool (memory- and vCPU-bound). */
  readonly phpWorkersPerFrontend: number;
  /** MySQL `max_connections`: every connection every possible frontend (rollouts included) in both regions can open, plus the archiver and headroom. */
  readonly mysqlMaxConnections: number;
}

export function resolveSizing(config: BlueprintConfig): ResolvedSizing {
  const preset = SIZE_PRESETS[config.size];
  const frontendVmSku = config.frontends.vmSku ?? preset.frontendVmSku;
  const frontendMemoryGiB = KNOWN_VM_SKUS[frontendVmSku]?.memoryGiB ?? preset.frontendMemoryGiB;
  const maxInstances = config.frontends.maxInstances ?? preset.maxInstances;
  const budget = connectionBudget(frontendVmSku, maxInstances, config.compute.maximumSurge);
  return {
    frontendVmSku,
    frontendMemoryGiB,
    primaryMinInstances: config.frontends.primaryMinInstances ?? preset.primaryMinInstances,
    secondaryMinInstances: config.frontends.secondaryMinInstances ?? preset.secondaryMinInstances,
    maxInstances,
    archiverVmSku: preset.archiverVmSku,
    mysqlSkuName: config.mysql.skuName ?? preset.mysqlSkuName,
    mysqlStorageGiB: config.mysql.storageGiB ?? preset.mysqlStorageGiB,
    mysqlIops: config.mysql.iops ?? preset.mysqlIops,
    maxFrontendsDuringRollout: budget.maxFrontendsDuringRollout,
    phpWorkersPerFrontend: budget.phpWorkersPerFrontend,
    mysqlMaxConnections: budget.required,
  };
}
