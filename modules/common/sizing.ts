import { BlueprintConfig, KNOWN_VM_SKUS, SIZE_PRESETS } from "../../config";

/** PHP-FPM workers for a VM: memory left after the OS, nginx and opcache, at ~96 MiB per worker. */
export function phpWorkersFor(memoryGiB: number): number {
  return Math.max(8, Math.floor((memoryGiB * 1024 - 1536) / 96));
}

/** Concrete sizes after applying the preset and the config's overrides. */
export interface ResolvedSizing {
  readonly frontendVmSku: string;
  readonly frontendMemoryGiB: number;
  readonly primaryMinInstances: number;
  readonly secondaryMinInstances: number;
  readonly maxInstances: number;
  readonly archiverVmSku: string;
  readonly mysqlSkuName: string;
  readonly mysqlStorageGiB: number;
  readonly mysqlIops: number;
  /** `pm.max_children` of each frontend's PHP-FPM pool. */
  readonly phpWorkersPerFrontend: number;
  /** MySQL `max_connections`: every worker of every possible frontend in both regions, plus the archiver and headroom. */
  readonly mysqlMaxConnections: number;
}

/** Archiver: 3 concurrent archivers x 3 concurrent requests (Matomo defaults) plus console jobs. */
const ARCHIVER_CONNECTIONS = 20;
/** Admin sessions, monitoring, replication. */
const HEADROOM_CONNECTIONS = 50;

export function resolveSizing(config: BlueprintConfig): ResolvedSizing {
  const preset = SIZE_PRESETS[config.size];
  const frontendVmSku = config.frontends.vmSku ?? preset.frontendVmSku;
  const frontendMemoryGiB = KNOWN_VM_SKUS[frontendVmSku]?.memoryGiB ?? preset.frontendMemoryGiB;
  const maxInstances = config.frontends.maxInstances ?? preset.maxInstances;
  const phpWorkersPerFrontend = phpWorkersFor(frontendMemoryGiB);
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
    phpWorkersPerFrontend,
    mysqlMaxConnections: 2 * maxInstances * phpWorkersPerFrontend + ARCHIVER_CONNECTIONS + HEADROOM_CONNECTIONS,
  };
}
