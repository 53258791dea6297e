import { Construct } from "constructs";
import { ITerraformDependable, TerraformStack } from "cdktf";
import { MysqlFlexibleServer } from "@cdktf/provider-azurerm/lib/mysql-flexible-server";
import { MysqlFlexibleServerConfiguration } from "@cdktf/provider-azurerm/lib/mysql-flexible-server-configuration";
import { MysqlFlexibleDatabase } from "@cdktf/provider-azurerm/lib/mysql-flexible-database";
import { protectStateful } from "../common/protect";
import { Diagnostics } from "../common/diagnostics";
import { MYSQL_MAX_CONNECTIONS_SOURCE, MYSQL_SKUS } from "../../config/capacity";

export type DatabaseRegion = "primary" | "secondary";

export interface MatomoDatabaseProps {
  /** Resource group of the servers (Azure creates replicas in the source's group, whatever the region). */
  readonly resourceGroupName: string;
  /** General Purpose or Business Critical SKU (zone-redundant HA and replicas need one). */
  readonly skuName: string;
  readonly version: "8.0.21" | "8.4";
  readonly storageGiB: number;
  readonly iops: number;
  /** @default 35 */
  readonly backupRetentionDays?: number;
  /** Create-time only. @default true */
  readonly geoRedundantBackup?: boolean;
  readonly primaryZone: string;
  /** Zone of the HA standby; must differ from `primaryZone`. */
  readonly standbyZone: string;
  readonly maintenanceWindow: { readonly dayOfWeek: number; readonly startHour: number; readonly startMinute: number };
  /** Private DNS zone (ends in `.mysql.database.azure.com`), linked to both VNets. */
  readonly privateDnsZoneId: string;
  readonly administratorLogin: string;
  /**
   * Reference to a generated (ephemeral) password, never a literal. It goes only to the write-only
   * `administrator_password_wo`, sent when `version` changes; state never holds it.
   */
  readonly administratorPassword: { readonly value: string; readonly version: number };
  readonly databaseName: string;
  /** `max_connections`, sized to the PHP-FPM workers that may connect. */
  readonly maxConnections: number;
  /** Value of `sql_generate_invisible_primary_key`. */
  readonly sqlGenerateInvisiblePrimaryKey: "ON" | "OFF";
  /** Region whose server is the writable source. @default "primary" */
  readonly source?: DatabaseRegion;
  /** Whether the other region runs a read replica of the source. */
  readonly readReplica: boolean;
  /**
   * Server per region. `generation` 1 is the original server (the primary region's
   * was born as the source, the secondary's as its replica); every later generation
   * is born as a replica of the source of its time.
   */
  readonly regions: Record<
    DatabaseRegion,
    {
      readonly serverName: string;
      readonly location: string;
      /** Delegated subnet in this region (a replica inherits VNet integration from it). */
      readonly delegatedSubnetId: string;
      readonly generation: number;
    }
  >;
  readonly logAnalyticsWorkspaceId: string;
  readonly tags: Record<string, string>;
}

/**
 * Construct IDs and lock of everything that belongs to one server. Generation 1 keeps the IDs it was born with
 * (a contract, see stateful-ids.test.ts): the original source's at the database construct's root, the original
 * replica's prefixed "Replica"; later generations are prefixed by their server's construct ID.
 */
function serverIds(region: DatabaseRegion, generation: number) {
  if (generation === 1 && region === "primary") {
    return {
      protectionScope: undefined,
      lockName: "do-not-delete-matomo-db",
      lockNotes: "Matomo's database. Restore and failover procedures: docs/runbooks/.",
      diagnostics: "Diagnostics",
      parameterPrefix: "Parameter",
    };
  }
  if (generation === 1) {
    return {
      protectionScope: "ReplicaProtection",
      lockName: "do-not-delete-matomo-db-replica",
      lockNotes: "Cross-region replica: the promotion target for region failover.",
      diagnostics: "ReplicaDiagnostics",
      parameterPrefix: "ReplicaParameter",
    };
  }
  const cid = serverConstructId(region, generation);
  return {
    protectionScope: `${cid}-Protection`,
    lockName: `do-not-delete-matomo-db-${region}-${generation}`,
    lockNotes: "Matomo database server, born as a replica (docs/runbooks/region-failover.md).",
    diagnostics: `${cid}-Diagnostics`,
    parameterPrefix: `${cid}-Parameter`,
  };
}

/** Construct ID of a region's server: generation 1 keeps the original IDs (a contract, see stateful-ids.test.ts). */
export function serverConstructId(region: DatabaseRegion, generation: number): string {
  if (generation === 1) return region === "primary" ? "Server" : "Replica";
  return `Server-${region}-${generation}`;
}

/**
 * Matomo's database tier: one MySQL Flexible Server per region and role. The
 * source (`source` region) is writable; the other region optionally runs a
 * read replica of it. Only the primary region's first server is born as a
 * source, with zone-redundant HA (create-time only on Azure) and the
 * utf8mb4 database; every later server is born as a replica, so promotion
 * (`source` moves), running on the promoted server and a new replica
 * (`generation` + 1) are each one config change that replaces nothing.
 * Servers no longer configured are forgotten (`removed`, destroy = false),
 * never deleted by Terraform. Servers carry `prevent_destroy` and a delete lock.
 * @stateful
 */
export class MatomoDatabase extends Construct {
  /** The writable server. */
  readonly server: MysqlFlexibleServer;
  /** The read replica in the other region, if any. */
  readonly replica?: MysqlFlexibleServer;
  /** The database, managed on the server it was created on (replicas inherit it). */
  readonly database?: MysqlFlexibleDatabase;
  /** Whether the source has zone-redundant HA (only a server born as source can). */
  readonly sourceHasHa: boolean;
  /** Addresses Terraform must forget without destroying (the stack writes them as `removed` blocks). */
  readonly forgotten: string[] = [];

  constructor(scope: Construct, id: string, props: MatomoDatabaseProps) {
    super(scope, id);
    if (props.primaryZone === props.standbyZone) {
      throw new Error(
        `MatomoDatabase: standbyZone '${props.standbyZone}' equals primaryZone; zone-redundant HA needs two zones: set mysql.standbyZone to another zone`,
      );
    }
    const limits = MYSQL_SKUS[props.skuName];
    if (!limits) {
      throw new Error(
        `MatomoDatabase: skuName '${props.skuName}' is not a General Purpose or Business Critical size in config/capacity.ts; zone-redundant HA is unavailable on Burstable`,
      );
    }
    if (props.maxConnections > limits.maxConnections) {
      throw new Error(
        `MatomoDatabase: maxConnections ${props.maxConnections} exceeds Azure's maximum of ${limits.maxConnections} on ${props.skuName} (${MYSQL_MAX_CONNECTIONS_SOURCE}); use a larger size or fewer connections`,
      );
    }
    const sourceRegion = props.source ?? "primary";
    const otherRegion: DatabaseRegion = sourceRegion === "primary" ? "secondary" : "primary";
    const bornAsSource = (region: DatabaseRegion) => region === "primary" && props.regions[region].generation === 1;
    const storage = { sizeGb: props.storageGiB, iops: props.iops, autoGrowEnabled: true, ioScalingEnabled: false };
    const parameters: Record<string, string> = {
      require_secure_transport: "ON",
      tls_version: "TLSv1.2,TLSv1.3",
      // Matomo's diagnostics require at least 64 MiB.
      max_allowed_packet: String(128 * 1024 * 1024),
      max_connections: String(props.maxConnections),
      sql_generate_invisible_primary_key: props.sqlGenerateInvisiblePrimaryKey,
      character_set_server: "utf8mb4",
    };
    // Auto-grow raises size_gb past the config; a plan to shrink it would replace the server.
    // create_mode and source_server_id are create-time only (replace on change in azurerm 4.55) and read
    // back empty once a replica is promoted: following them would replace the promoted server.
    const createTimeOnly = ["storage[0].size_gb", "create_mode", "source_server_id"];

    const parametersOf = new Map<MysqlFlexibleServer, MysqlFlexibleServerConfiguration[]>();
    const serverIn = (region: DatabaseRegion, role: "source" | "replica", sourceId?: string, waitFor?: ITerraformDependable[]): MysqlFlexibleServer => {
      const r = props.regions[region];
      const cid = serverConstructId(region, r.generation);
      const first = bornAsSource(region);
      const server = new MysqlFlexibleServer(this, cid, {
        name: r.serverName,
        // Azure creates replicas in the source's resource group, whatever the region.
        resourceGroupName: props.resourceGroupName,
        location: r.location,
        version: props.version,
        skuName: props.skuName,
        delegatedSubnetId: r.delegatedSubnetId,
        privateDnsZoneId: props.privateDnsZoneId,
        storage,
        tags: props.tags,
        dependsOn: waitFor,
        ...(first
          ? {
              administratorLogin: props.administratorLogin,
              administratorPasswordWo: props.administratorPassword.value,
              administratorPasswordWoVersion: props.administratorPassword.version,
              zone: props.primaryZone,
              highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: props.standbyZone },
              backupRetentionDays: props.backupRetentionDays ?? 35,
              geoRedundantBackupEnabled: props.geoRedundantBackup ?? true,
              maintenanceWindow: props.maintenanceWindow,
            }
          : {
              createMode: "Replica",
              sourceServerId: role === "replica" ? sourceId : undefined,
              // Replica -> None is the only allowed change; it makes the replica a standalone, writable server.
              replicationRole: role === "source" ? "None" : undefined,
            }),
        lifecycle: {
          // Zones swap on every HA failover; following them would plan a move back.
          ignoreChanges: first ? ["zone", "high_availability[0].standby_availability_zone", ...createTimeOnly] : createTimeOnly,
        },
      });
      const ids = serverIds(region, r.generation);
      protectStateful(ids.protectionScope === undefined ? this : new Construct(this, ids.protectionScope), server, {
        resourceId: server.id,
        lockName: ids.lockName,
        // Lock notes replace the lock when they change: they describe the server's birth, not its current role.
        notes: ids.lockNotes,
      });
      new Diagnostics(this, ids.diagnostics, {
        targetResourceId: server.id,
        logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      });
      // A replica may be promoted: it must already run with Matomo's parameters.
      const prefix = ids.parameterPrefix;
      parametersOf.set(
        server,
        Object.entries(parameters).map(
          ([name, value]) =>
            new MysqlFlexibleServerConfiguration(this, `${prefix}-${name}`, {
              name,
              value,
              resourceGroupName: props.resourceGroupName,
              serverName: server.name,
            }),
        ),
      );
      return server;
    };

    this.server = serverIn(sourceRegion, "source");
    this.sourceHasHa = bornAsSource(sourceRegion);
    const original = serverConstructId("primary", 1);
    const originalConfigured = props.regions.primary.generation === 1 && (sourceRegion === "primary" || props.readReplica);
    if (originalConfigured && sourceRegion === "primary") this.database = this.databaseOn(this.server, props);
    if (props.readReplica) {
      // Creating the first replica restarts the source: let the source finish its parameters and database first (BP-MYSQL-5).
      const waitFor: ITerraformDependable[] = [...(parametersOf.get(this.server) ?? []), ...(this.database ? [this.database] : [])];
      this.replica = serverIn(otherRegion, "replica", this.server.id, waitFor);
    }
    if (originalConfigured && sourceRegion !== "primary") this.database = this.databaseOn(this.replica!, props);

    // Servers of earlier generations, or of a region no longer configured: Terraform forgets them with
    // their lock, diagnostics and parameters, so they stay in Azure, locked, until an operator deletes them
    // by the runbook, and a failover plan sends no call to the lost region.
    const stack = TerraformStack.of(this);
    const configured = new Set([serverConstructId(sourceRegion, props.regions[sourceRegion].generation)]);
    if (props.readReplica) configured.add(serverConstructId(otherRegion, props.regions[otherRegion].generation));
    // Placeholders at the forgotten paths give their exact logical IDs.
    const addressOf = (type: string, path: string) => {
      const node = path
        .split("/")
        .reduce<Construct>((parent, id) => (parent.node.tryFindChild(id) as Construct | undefined) ?? new Construct(parent, id), this);
      return `${type}.${stack.getLogicalId(node.node)}`;
    };
    const forget = this.forgotten;
    for (const region of ["primary", "secondary"] as const) {
      for (let g = 1; g <= props.regions[region].generation; g++) {
        const cid = serverConstructId(region, g);
        if (configured.has(cid)) continue;
        const ids = serverIds(region, g);
        forget.push(
          addressOf("azurerm_mysql_flexible_server", cid),
          addressOf("azurerm_management_lock", ids.protectionScope === undefined ? "DeleteLock" : `${ids.protectionScope}/DeleteLock`),
          addressOf("azurerm_monitor_diagnostic_setting", `${ids.diagnostics}/Resource`),
          ...Object.keys(parameters).map((name) => addressOf("azurerm_mysql_flexible_server_configuration", `${ids.parameterPrefix}-${name}`)),
        );
      }
    }
    if (!originalConfigured && !configured.has(original)) forget.push(addressOf("azurerm_mysql_flexible_database", "Database"));
  }

  private databaseOn(server: MysqlFlexibleServer, props: MatomoDatabaseProps): MysqlFlexibleDatabase {
    const database = new MysqlFlexibleDatabase(this, "Database", {
      name: props.databaseName,
      resourceGroupName: props.resourceGroupName,
      serverName: server.name,
      charset: "utf8mb4",
      collation: "utf8mb4_general_ci",
    });
    database.addOverride("lifecycle.prevent_destroy", true);
    return database;
  }
}
