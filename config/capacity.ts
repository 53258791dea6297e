import { ARCHIVER_DB_CONNECTIONS, dbConnectionsPerFrontend, fpmMaxChildrenFor } from "../modules/cloud-init";
import { KNOWN_VM_SKUS } from "./presets";

/**
 * Capacity rules shared by the config validation and the stacks, so a config
 * that passes validation always synthesizes within the platform's limits.
 */

/** Where Azure publishes the per-size `max_connections` maximum. */
export const MYSQL_MAX_CONNECTIONS_SOURCE = "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-server-parameters#max_connections";

/** Azure's maximum `max_connections` by server memory (GiB): about 170.7 per GiB, as published per size. */
const MAX_CONNECTIONS_BY_MEMORY_GIB: Readonly<Record<number, number>> = {
  8: 1365,
  16: 2731,
  32: 5461,
  64: 10923,
  128: 21845,
  160: 27306,
  192: 32768,
  256: 43691,
  384: 65536,
  504: 86016,
};

export interface MysqlSkuLimits {
  readonly tier: "GeneralPurpose" | "BusinessCritical";
  readonly vCores: number;
  readonly memoryGiB: number;
  /** Highest `max_connections` Azure accepts on this size. */
  readonly maxConnections: number;
}

function skuTable(): Record<string, MysqlSkuLimits> {
  const table: Record<string, MysqlSkuLimits> = {};
  const add = (name: string, tier: MysqlSkuLimits["tier"], vCores: number, memoryGiB: number) => {
    table[name] = { tier, vCores, memoryGiB, maxConnections: MAX_CONNECTIONS_BY_MEMORY_GIB[memoryGiB] };
  };
  // General Purpose: 4 GiB per vCore.
  for (const v of [2, 4, 8, 16, 32, 48, 64]) {
    add(`GP_Standard_D${v}ds_v4`, "GeneralPurpose", v, v * 4);
    add(`GP_Standard_D${v}ads_v5`, "GeneralPurpose", v, v * 4);
  }
  // Business Critical (memory optimised): 8 GiB per vCore, 504 GiB at 64 vCores.
  for (const v of [2, 4, 8, 16, 20, 32, 48, 64]) {
    const memory = v === 64 ? 504 : v * 8;
    add(`MO_Standard_E${v}ds_v4`, "BusinessCritical", v, memory);
    add(`MO_Standard_E${v}ds_v5`, "BusinessCritical", v, memory);
    add(`MO_Standard_E${v}ads_v5`, "BusinessCritical", v, memory);
  }
  return table;
}

/**
 * MySQL Flexible Server sizes the blueprint can deploy: General Purpose and
 * Business Critical only (zone-redundant HA and read replicas are unavailable
 * on Burstable), each with the `max_connections` ceiling Azure enforces.
 */
export const MYSQL_SKUS: Readonly<Record<string, MysqlSkuLimits>> = skuTable();

/**
 * PHP-FPM workers per frontend vCPU. A tracking request is short and mostly
 * CPU plus one MySQL round trip; more workers than this only queue on the CPU
 * while each still holds a MySQL connection, which is what Azure caps.
 */
export const FPM_WORKERS_PER_VCPU = 16;

/** Share of instances replaced per rolling-upgrade batch; with surge, that many extra VMs exist during a rollout. */
export const ROLLING_BATCH_PERCENT = 20;

/** Admin sessions, monitoring, replication. */
export const HEADROOM_CONNECTIONS = 50;

/** Regions whose frontends all write to the one source server. */
const REGIONS_SHARING_THE_SOURCE = 2;

/** `pm.max_children` of a frontend of this VM size: bounded by its memory and by its vCPUs. */
export function phpWorkersFor(vmSku: string): number {
  const vm = KNOWN_VM_SKUS[vmSku];
  if (!vm) throw new RangeError(`phpWorkersFor: VM size '${vmSku}' is not in KNOWN_VM_SKUS (config/presets.ts)`);
  return Math.min(fpmMaxChildrenFor(vm.memoryGiB), vm.vcpus * FPM_WORKERS_PER_VCPU);
}

/** Most frontends one region can run at once: the autoscale ceiling, plus the surge batch when rolling upgrades surge. */
export function maxFrontendsDuringRollout(maxInstances: number, maximumSurge: boolean): number {
  return maxInstances + (maximumSurge ? Math.ceil((maxInstances * ROLLING_BATCH_PERCENT) / 100) : 0);
}

export interface ConnectionBudget {
  readonly phpWorkersPerFrontend: number;
  readonly maxFrontendsDuringRollout: number;
  /** PHP workers plus the health pool and cron jobs of one frontend. */
  readonly connectionsPerFrontend: number;
  /** Every connection every possible frontend of both regions, the archiver and headroom can open: the `max_connections` to set. */
  readonly required: number;
}

export function connectionBudget(frontendVmSku: string, maxInstances: number, maximumSurge: boolean): ConnectionBudget {
  const phpWorkersPerFrontend = phpWorkersFor(frontendVmSku);
  const frontends = maxFrontendsDuringRollout(maxInstances, maximumSurge);
  const connectionsPerFrontend = dbConnectionsPerFrontend(phpWorkersPerFrontend);
  return {
    phpWorkersPerFrontend,
    maxFrontendsDuringRollout: frontends,
    connectionsPerFrontend,
    required: REGIONS_SHARING_THE_SOURCE * frontends * connectionsPerFrontend + ARCHIVER_DB_CONNECTIONS + HEADROOM_CONNECTIONS,
  };
}

/** The largest autoscale ceiling (up to `limit`) whose connection budget still fits `maxConnections`, or 0 if none does. */
export function largestFittingMaxInstances(frontendVmSku: string, maximumSurge: boolean, maxConnections: number, limit = 100): number {
  let n = 0;
  while (n < limit && connectionBudget(frontendVmSku, n + 1, maximumSurge).required <= maxConnections) n++;
  return n;
}
