import { Construct } from "constructs";
import { MysqlFlexibleServer } from "@cdktf/provider-azurerm/lib/mysql-flexible-server";
import { MysqlFlexibleServerConfiguration } from "@cdktf/provider-azurerm/lib/mysql-flexible-server-configuration";
import { MysqlFlexibleDatabase } from "@cdktf/provider-azurerm/lib/mysql-flexible-database";
import { protectStateful } from "../common/protect";
import { Diagnostics } from "../common/diagnostics";
import { MYSQL_MAX_CONNECTIONS_SOURCE, MYSQL_SKUS } from "../../config/capacity";

export interface MatomoDatabaseProps {
  /** Primary server name (global DNS label). */
  readonly serverName: string;
  /** Resource group of the primary and, by Azure's rule, of the replica. */
  readonly resourceGroupName: string;
  /** Primary region. */
  readonly location: string;
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
  /** Delegated subnet in the primary region. */
  readonly delegatedSubnetId: string;
  /** Private DNS zone (ends in `.mysql.database.azure.com`), linked to both VNets. */
  readonly privateDnsZoneId: string;
  readonly administratorLogin: string;
  /** Reference to a generated password; never a literal. */
  readonly administratorPassword: string;
  readonly databaseName: string;
  /** `max_connections`, sized to the PHP-FPM workers that may connect. */
  readonly maxConnections: number;
  /** Value of `sql_generate_invisible_primary_key`. */
  readonly sqlGenerateInvisiblePrimaryKey: "ON" | "OFF";
  /** Cross-region read replica, or none. */
  readonly replica?: {
    readonly serverName: string;
    readonly location: string;
    /** Delegated subnet in the replica's region (the replica inherits VNet integration). */
    readonly delegatedSubnetId: string;
    /** Promote to a standalone read-write server (irreversible). @default false */
    readonly promote?: boolean;
  };
  readonly logAnalyticsWorkspaceId: string;
  readonly tags: Record<string, string>;
}

/**
 * Matomo's database tier: a zone-redundant HA MySQL Flexible Server with
 * private access only, the server parameters Matomo needs, the utf8mb4
 * database, and an optional cross-region read replica. Both servers are
 * protected by `prevent_destroy` and a delete lock.
 * @stateful
 */
export class MatomoDatabase extends Construct {
  readonly server: MysqlFlexibleServer;
  readonly replica?: MysqlFlexibleServer;
  readonly database: MysqlFlexibleDatabase;

  constructor(scope: Construct, id: string, props: MatomoDatabaseProps) {
    super(scope, id);
    if (props.primaryZone === props.standbyZone) {
      throw new Error(`MatomoDatabase: standbyZone '${props.standbyZone}' equals primaryZone; zone-redundant HA needs two zones`);
    }
    const limits = MYSQL_SKUS[props.skuName];
    if (!limits) {
      throw new Error(`MatomoDatabase: skuName '${props.skuName}' is not a General Purpose or Business Critical size in config/capacity.ts; zone-redundant HA is unavailable on Burstable`);
    }
    if (props.maxConnections > limits.maxConnections) {
      throw new Error(`MatomoDatabase: maxConnections ${props.maxConnections} exceeds Azure's maximum of ${limits.maxConnections} on ${props.skuName} (${MYSQL_MAX_CONNECTIONS_SOURCE}); use a larger size or fewer connections`);
    }
    const storage = { sizeGb: props.storageGiB, iops: props.iops, autoGrowEnabled: true, ioScalingEnabled: false };

    this.server = new MysqlFlexibleServer(this, "Server", {
      name: props.serverName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      version: props.version,
      skuName: props.skuName,
      administratorLogin: props.administratorLogin,
      administratorPassword: props.administratorPassword,
      zone: props.primaryZone,
      highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: props.standbyZone },
      delegatedSubnetId: props.delegatedSubnetId,
      privateDnsZoneId: props.privateDnsZoneId,
      backupRetentionDays: props.backupRetentionDays ?? 35,
      geoRedundantBackupEnabled: props.geoRedundantBackup ?? true,
      storage,
      maintenanceWindow: props.maintenanceWindow,
      tags: props.tags,
      // Zones swap on every HA failover; following them would plan a move back. Auto-grow
      // raises size_gb past the config; a plan to shrink it would replace the server.
      lifecycle: { ignoreChanges: ["zone", "high_availability[0].standby_availability_zone", "storage[0].size_gb"] },
    });
    protectStateful(this, this.server, {
      resourceId: this.server.id,
      lockName: "do-not-delete-matomo-db",
      notes: "Matomo's database. Restore and failover procedures: docs/runbooks/.",
    });
    new Diagnostics(this, "Diagnostics", { targetResourceId: this.server.id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId });

    const parameters: Record<string, string> = {
      require_secure_transport: "ON",
      tls_version: "TLSv1.2,TLSv1.3",
      // Matomo's diagnostics require at least 64 MiB.
      max_allowed_packet: String(128 * 1024 * 1024),
      max_connections: String(props.maxConnections),
      sql_generate_invisible_primary_key: props.sqlGenerateInvisiblePrimaryKey,
      character_set_server: "utf8mb4",
    };
    const applyParameters = (prefix: string, serverName: string) =>
      Object.entries(parameters).map(([name, value]) =>
        new MysqlFlexibleServerConfiguration(this, `${prefix}-${name}`, { name, value, resourceGroupName: props.resourceGroupName, serverName }));
    const sourceParameters = applyParameters("Parameter", this.server.name);

    this.database = new MysqlFlexibleDatabase(this, "Database", {
      name: props.databaseName,
      resourceGroupName: props.resourceGroupName,
      serverName: this.server.name,
      charset: "utf8mb4",
      collation: "utf8mb4_general_ci",
    });
    this.database.addOverride("lifecycle.prevent_destroy", true);

    if (props.replica) {
      const r = props.replica;
      this.replica = new MysqlFlexibleServer(this, "Replica", {
        name: r.serverName,
        // Azure creates replicas in the source's resource group, whatever the region.
        resourceGroupName: props.resourceGroupName,
        location: r.location,
        createMode: "Replica",
        sourceServerId: this.server.id,
        version: props.version,
        skuName: props.skuName,
        delegatedSubnetId: r.delegatedSubnetId,
        privateDnsZoneId: props.privateDnsZoneId,
        storage,
        // Replica -> None is the only allowed change; it makes the replica a standalone server.
        replicationRole: r.promote ? "None" : undefined,
        tags: props.tags,
        // Creating the first replica restarts the source: let the source finish its parameters and database first.
        dependsOn: [...sourceParameters, this.database],
          lifecycle: { ignoreChanges: ["storage[0].size_gb"] },
      });
      protectStateful(new Construct(this, "ReplicaProtection"), this.replica, {
        resourceId: this.replica.id,
        lockName: "do-not-delete-matomo-db-replica",
        notes: "Cross-region replica: the promotion target for region failover.",
      });
      new Diagnostics(this, "ReplicaDiagnostics", { targetResourceId: this.replica.id, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId });
      // A promoted replica becomes the primary: it must already run with Matomo's parameters.
      applyParameters("ReplicaParameter", this.replica.name);
    }
  }
}
