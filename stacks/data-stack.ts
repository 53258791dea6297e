import { Construct } from "constructs";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Password } from "@cdktf/provider-random/lib/password";
import { BlueprintStack, BlueprintStackProps } from "./base-stack";
import { CoreStack, RegionKey } from "./core-stack";
import { MatomoDatabase } from "../modules/mysql/matomo-database";
import { NfsShare } from "../modules/shared-files/nfs-share";
import { ManagedSecret } from "../modules/key-vault/key-vault";
import { DB_NAME, DB_USERS, SECRET_NAMES } from "../modules/common/secret-names";
import { resolveSizing } from "../modules/common/sizing";
import { MetricAlerts } from "../modules/monitoring/alerts";

export interface DataStackProps extends BlueprintStackProps {
  readonly core: CoreStack;
}

/**
 * Stateful tier: MySQL (zone-redundant HA + cross-region replica), one NFS
 * share per region, and the generated secrets. Everything here is protected
 * against destroy; construct IDs are pinned by tests. Deployed after `core`,
 * so the DNS links and the deployer's Key Vault role already exist.
 */
export class DataStack extends BlueprintStack {
  readonly database: MatomoDatabase;
  readonly shares: Record<RegionKey, NfsShare>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, naming, tags } = this;
    const { core } = props;
    const sizing = resolveSizing(config);
    const workspaceId = core.logAnalytics.workspace.id;
    new RandomProvider(this, "random", {});

    // MySQL accepts these specials in passwords; shell- and INI-safe too.
    const password = (cid: string, length: number, special = true) =>
      new Password(this, cid, {
        length, special, overrideSpecial: special ? "-_.~+" : undefined,
        minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: special ? 2 : 0,
      });
    const adminPassword = password("MysqlAdminPassword", 32);
    const matomoDbPassword = password("MatomoDbPassword", 32);
    const salt = password("MatomoSalt", 64, false);
    // A new salt invalidates every Matomo session and token: never replace it by accident.
    salt.addOverride("lifecycle.prevent_destroy", true);
    const superUserPassword = password("SuperUserPassword", 24);

    const primaryNet = core.networks.primary;
    this.database = new MatomoDatabase(this, "Mysql", {
      serverName: naming.mysqlServer,
      resourceGroupName: primaryNet.resourceGroup.name,
      location: config.regions.primary.location,
      skuName: sizing.mysqlSkuName,
      version: config.mysql.version,
      storageGiB: sizing.mysqlStorageGiB,
      iops: sizing.mysqlIops,
      backupRetentionDays: config.mysql.backupRetentionDays,
      geoRedundantBackup: config.mysql.geoRedundantBackup,
      primaryZone: config.mysql.primaryZone,
      standbyZone: config.mysql.standbyZone,
      maintenanceWindow: config.mysql.maintenanceWindow,
      delegatedSubnetId: primaryNet.subnets.mysql.id,
      privateDnsZoneId: core.privateDns.mysqlZone.id,
      administratorLogin: DB_USERS.admin,
      administratorPassword: adminPassword.result,
      databaseName: DB_NAME,
      maxConnections: sizing.mysqlMaxConnections,
      sqlGenerateInvisiblePrimaryKey: config.mysql.sqlGenerateInvisiblePrimaryKey,
      replica: config.mysql.readReplica
        ? {
            serverName: naming.mysqlReplica,
            location: config.regions.secondary.location,
            delegatedSubnetId: core.networks.secondary.subnets.mysql.id,
            promote: config.mysql.promoteReplica,
          }
        : undefined,
      logAnalyticsWorkspaceId: workspaceId,
      tags,
    });

    const share = (key: RegionKey) => {
      const region = config.regions[key];
      const net = core.networks[key];
      return new NfsShare(this, `Files-${key}`, {
        accountName: naming.filesAccount(region),
        location: region.location,
        resourceGroupName: net.resourceGroup.name,
        privateEndpointSubnetId: net.subnets.privateEndpoints.id,
        privateDnsZoneId: core.privateDns.filesZone.id,
        logAnalyticsWorkspaceId: workspaceId,
        tags,
      });
    };
    this.shares = { primary: share("primary"), secondary: share("secondary") };

    const mysqlNs = "Microsoft.DBforMySQL/flexibleServers";
    const a = config.alerts;
    new MetricAlerts(this, "MysqlAlerts", {
      namePrefix: naming.global("mysql"),
      resourceGroupName: primaryNet.resourceGroup.name,
      scope: this.database.server.id,
      actionGroupId: core.alerts.actionGroup.id,
      tags,
      alerts: [
        { key: "cpu", description: `MySQL CPU above ${a.mysqlCpuPercent}% for 15 min: scale the SKU (docs/runbooks/scale.md).`, metricNamespace: mysqlNs, metricName: "cpu_percent", aggregation: "Average", operator: "GreaterThan", threshold: a.mysqlCpuPercent, severity: 2, windowSize: "PT15M" },
        { key: "storage", description: `MySQL storage above ${a.mysqlStoragePercent}% (auto-grow is on: check growth and cost).`, metricNamespace: mysqlNs, metricName: "storage_percent", aggregation: "Maximum", operator: "GreaterThan", threshold: a.mysqlStoragePercent, severity: 2 },
        { key: "connections", description: `Active connections above ${a.mysqlConnectionsPercent}% of max_connections (${sizing.mysqlMaxConnections}).`, metricNamespace: mysqlNs, metricName: "active_connections", aggregation: "Maximum", operator: "GreaterThan", threshold: Math.floor((sizing.mysqlMaxConnections * a.mysqlConnectionsPercent) / 100), severity: 2 },
        { key: "ha-io", description: "Zone-redundant HA replication IO thread stopped: the standby is not receiving changes.", metricNamespace: mysqlNs, metricName: "HA_IO_status", aggregation: "Maximum", operator: "LessThan", threshold: 1, severity: 1 },
        { key: "ha-sql", description: "Zone-redundant HA replication SQL thread stopped: the standby is not applying changes.", metricNamespace: mysqlNs, metricName: "HA_SQL_status", aggregation: "Maximum", operator: "LessThan", threshold: 1, severity: 1 },
      ],
    });
    if (this.database.replica && !config.mysql.promoteReplica) {
      new MetricAlerts(this, "ReplicaAlerts", {
        namePrefix: naming.global("mysql-replica"),
        resourceGroupName: primaryNet.resourceGroup.name,
        scope: this.database.replica.id,
        actionGroupId: core.alerts.actionGroup.id,
        tags,
        alerts: [
          { key: "lag", description: `Replica lag above ${a.replicationLagSeconds} s: this is the data a region failover would lose now.`, metricNamespace: mysqlNs, metricName: "replication_lag", aggregation: "Maximum", operator: "GreaterThan", threshold: a.replicationLagSeconds, severity: 2 },
        ],
      });
    }

    const readers = {
      frontendPrimary: core.frontendIdentities.primary.identity.principalId,
      frontendSecondary: core.frontendIdentities.secondary.identity.principalId,
      archiver: core.archiverIdentity.identity.principalId,
    };
    const archiverOnly = { archiver: readers.archiver };
    const secrets = new Construct(this, "Secrets");
    const secret = (cid: string, name: string, value: string, who: Record<string, string>) =>
      new ManagedSecret(secrets, cid, {
        keyVaultId: core.vault.vault.id, name, value, contentType: "text/plain", readers: who,
      });
    secret("MysqlAdminPassword", SECRET_NAMES.mysqlAdminPassword, adminPassword.result, archiverOnly);
    secret("MatomoDbPassword", SECRET_NAMES.matomoDbPassword, matomoDbPassword.result, readers);
    secret("MatomoSalt", SECRET_NAMES.matomoSalt, salt.result, readers);
    secret("SuperUserPassword", SECRET_NAMES.superUserPassword, superUserPassword.result, archiverOnly);
  }
}
