/**
 * Day-2 scenarios rehearsed by `npm run plan:offline`: each is a config change
 * derived from the example environment, planned against the state the
 * previous applied scenarios left behind.
 */
import type { BlueprintConfigInput } from "../../config/schema";

type Input = Record<string, unknown>;

export interface Scenario {
  readonly name: string;
  /** The change, on top of the currently applied input. */
  readonly change: (input: Input) => Input;
  /**
   * `empty`: every stack plans no change. `safe`: no stateful resource replaced or
   * destroyed and, when `only` is given, nothing outside it changes. `dangerous`: a
   * stateful replacement must be caught (the scenario is reported as failing).
   */
  readonly expect: "empty" | "safe" | "dangerous";
  /** Address patterns (`stack:address`) allowed to change. */
  readonly only?: readonly RegExp[];
  /** Apply the change and make it the baseline of the scenarios after it. */
  readonly apply?: boolean;
}

function merge(base: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== "object" || Array.isArray(patch) || !base || typeof base !== "object" || Array.isArray(base)) return patch;
  const out: Input = { ...(base as Input) };
  for (const [k, v] of Object.entries(patch as Input)) out[k] = merge(out[k], v);
  return out;
}

export const patch =
  (p: Input) =>
  (input: Input): Input =>
    merge(input, p) as Input;

/** Changes to the data stack that promotion is expected to make, and nothing else. */
export const PROMOTION_CHANGES: readonly RegExp[] = [
  /^data:azurerm_mysql_flexible_server\.Mysql_Replica_/, // replication_role -> None
  /^data:azurerm_mysql_flexible_server\.Mysql_Server_/, // forgotten (removed block), not destroyed
  /^data:azurerm_mysql_flexible_database\.Mysql_Database_/, // forgotten with its server
  // Forgotten with their server, which keeps its lock in Azure: nothing is deleted in the lost region.
  /^data:azurerm_management_lock\.Mysql_DeleteLock_/,
  /^data:azurerm_monitor_diagnostic_setting\.Mysql_Diagnostics_/,
  /^data:azurerm_mysql_flexible_server_configuration\.Mysql_Parameter-/,
  /^data:azurerm_monitor_metric_alert\.(MysqlAlerts|ReplicaAlerts)_/, // alerts follow the writable server
  // The VMs' database host changes: scale sets update in place, the archiver VM is recreated with its
  // monitoring extension and rule association (custom_data forces a new VM; it keeps no state).
  /^app-\w+:azurerm_linux_virtual_machine_scale_set\.Frontends_/,
  /^app-\w+:azurerm_linux_virtual_machine\.Archiver_/,
  /^app-\w+:azurerm_virtual_machine_extension\.ArchiveHeartbeat_/,
  /^app-\w+:azurerm_monitor_data_collection_rule_association\.ArchiveHeartbeat_/,
];

export const SCENARIOS: readonly Scenario[] = [
  { name: "no change", change: (i) => i, expect: "empty" },
  { name: "size preset up (small -> medium)", change: patch({ size: "medium" }), expect: "safe", apply: true },
  { name: "size preset down (medium -> small)", change: patch({ size: "small" }), expect: "safe", apply: true },
  { name: "instance counts up", change: patch({ frontends: { primaryMinInstances: 4, secondaryMinInstances: 4 } }), expect: "safe" },
  { name: "Matomo version bump", change: patch({ matomo: { version: "5.10.1" } }), expect: "safe" },
  { name: "alert thresholds", change: patch({ alerts: { mysqlCpuPercent: 90, replicationLagSeconds: 120 } }), expect: "safe" },
  { name: "Cloudflare plan (business)", change: patch({ cloudflare: { plan: "business" } }), expect: "safe" },
  { name: "rename the environment's resources (must be caught)", change: patch({ name: "matomo2" }), expect: "dangerous" },
  {
    name: "replica promotion (mysql.source = secondary)",
    change: patch({ mysql: { source: "secondary", readReplica: false } }),
    expect: "safe",
    only: PROMOTION_CHANGES,
    apply: true,
  },
  { name: "running on the promoted server", change: (i) => i, expect: "empty" },
  {
    name: "new replica of the promoted server (mysql.generation.primary = 2)",
    change: patch({ mysql: { source: "secondary", readReplica: true, generation: { primary: 2 } } }),
    expect: "safe",
    apply: true,
  },
  {
    name: "failback: promote the new replica (mysql.source = primary)",
    change: patch({ mysql: { source: "primary", readReplica: false } }),
    expect: "safe",
    apply: true,
  },
  { name: "after failback", change: (i) => i, expect: "empty" },
];

export type { BlueprintConfigInput };
