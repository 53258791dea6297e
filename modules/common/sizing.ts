import { BlueprintConfig, KNOWN_VM_SKUS, SIZE_PRESETS, SizePresetValues } from "../../config";
import { ARCHIVER_DB_CONNECTIONS, dbConnectionsPerFrontend, fpmMaxChildrenFor } from "../cloud-init";
import { ROLLING_BATCH_PERCENT } from "../frontend/frontend-scale-set";

/** Concrete sizes after applying the preset and the config's overrides. */
export interface ResolvedSizing extends Omit<SizePresetValues, "archiverMemoryGiB"> {
  /** Most frontends one region can have: the autoscale ceiling plus, with `compute.maximumSurge`, the surge batch of a rolling upgrade. */
  readonly maxFrontendsDuringRollout: number;
  /** `pm.max_children` of each frontend's PHP-FPM pool. */
  readonly phpWorkersPerFrontend: number;
  /** MySQL `max_connections`: every connection every possible frontend (rollouts included) in both regions can open, plus the archiver and headroom. */
  readonly mysqlMaxConnections: number;
}

/** Admin sessions, monitoring, replication. */
const HEADROOM_CONNECTIONS = 50;

export function resolveSizing(config: BlueprintConfig): ResolvedSizing {
  const preset = SIZE_PRESETS[config.size];
  const frontendVmSku = config.frontends.vmSku ?? preset.frontendVmSku;
  const frontendMemoryGiB = KNOWN_VM_SKUS[frontendVmSku]?.memoryGiB ?? preset.frontendMemoryGiB;
  const maxInstances = config.frontends.maxInstances ?? preset.maxInstances;
  const phpWorkersPerFrontend = fpmMaxChildrenFor(frontendMemoryGiB);
  const surge = config.compute.maximumSurge ? Math.ceil((maxInstances * ROLLING_BATCH_PERCENT) / 100) : 0;
  const maxFrontendsDuringRollout = maxInstances + surge;
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
    maxFrontendsDuringRollout,
    phpWorkersPerFrontend,
    mysqlMaxConnections: 2 * maxFrontendsDuringRollout * dbConnectionsPerFrontend(phpWorkersPerFrontend) + ARCHIVER_DB_CONNECTIONS + HEADROOM_CONNECTIONS,
  };
}
