/**
 * Size presets: one word in the environment file instead of a dozen knobs.
 * Each preset is internally consistent (PHP-FPM workers vs MySQL connections,
 * HA floors); individual values can still be overridden in `frontends`/`mysql`.
 */
export type SizePreset = "small" | "medium" | "large";

export interface SizePresetValues {
  /** VM SKU of the frontend scale sets. */
  readonly frontendVmSku: string;
  /** Memory of `frontendVmSku` in GiB; sizes the PHP-FPM pool. */
  readonly frontendMemoryGiB: number;
  /** Minimum frontend instances in the primary region (HA floor is 2). */
  readonly primaryMinInstances: number;
  /** Minimum frontend instances in the secondary region. */
  readonly secondaryMinInstances: number;
  /** Autoscale ceiling per region. */
  readonly maxInstances: number;
  /** VM SKU of the archiver. */
  readonly archiverVmSku: string;
  /** Memory of `archiverVmSku` in GiB. */
  readonly archiverMemoryGiB: number;
  /** MySQL Flexible Server SKU (General Purpose or Business Critical, required for zone-redundant HA). */
  readonly mysqlSkuName: string;
  /** MySQL storage in GiB (grows automatically). */
  readonly mysqlStorageGiB: number;
  /** Provisioned MySQL IOPS. */
  readonly mysqlIops: number;
}

export const SIZE_PRESETS: Readonly<Record<SizePreset, SizePresetValues>> = {
  small: {
    frontendVmSku: "Standard_D2s_v5",
    frontendMemoryGiB: 8,
    primaryMinInstances: 2,
    secondaryMinInstances: 2,
    maxInstances: 6,
    archiverVmSku: "Standard_D2s_v5",
    archiverMemoryGiB: 8,
    mysqlSkuName: "GP_Standard_D2ds_v4",
    mysqlStorageGiB: 64,
    mysqlIops: 600,
  },
  medium: {
    frontendVmSku: "Standard_D4s_v5",
    frontendMemoryGiB: 16,
    primaryMinInstances: 3,
    secondaryMinInstances: 2,
    maxInstances: 10,
    archiverVmSku: "Standard_D4s_v5",
    archiverMemoryGiB: 16,
    mysqlSkuName: "GP_Standard_D4ds_v4",
    mysqlStorageGiB: 256,
    mysqlIops: 1500,
  },
  large: {
    frontendVmSku: "Standard_D8s_v5",
    frontendMemoryGiB: 32,
    primaryMinInstances: 4,
    secondaryMinInstances: 3,
    maxInstances: 20,
    archiverVmSku: "Standard_E8s_v5",
    archiverMemoryGiB: 64,
    mysqlSkuName: "MO_Standard_E8ds_v4",
    mysqlStorageGiB: 1024,
    mysqlIops: 5000,
  },
};

/**
 * VM SKUs the blueprint knows the memory of (PHP-FPM sizing) and that support
 * encryption at host and Premium SSD. A SKU outside this table is rejected with
 * a message naming the table, so sizing never silently guesses.
 */
export const KNOWN_VM_SKUS: Readonly<Record<string, { memoryGiB: number; vcpus: number }>> = {
  Standard_D2s_v5: { memoryGiB: 8, vcpus: 2 },
  Standard_D4s_v5: { memoryGiB: 16, vcpus: 4 },
  Standard_D8s_v5: { memoryGiB: 32, vcpus: 8 },
  Standard_D16s_v5: { memoryGiB: 64, vcpus: 16 },
  Standard_D2ds_v5: { memoryGiB: 8, vcpus: 2 },
  Standard_D4ds_v5: { memoryGiB: 16, vcpus: 4 },
  Standard_E2s_v5: { memoryGiB: 16, vcpus: 2 },
  Standard_E4s_v5: { memoryGiB: 32, vcpus: 4 },
  Standard_E8s_v5: { memoryGiB: 64, vcpus: 8 },
  Standard_F4s_v2: { memoryGiB: 8, vcpus: 4 },
  Standard_F8s_v2: { memoryGiB: 16, vcpus: 8 },
};
