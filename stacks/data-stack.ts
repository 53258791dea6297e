import { Construct } from "constructs";
import { TerraformLocal } from "cdktf";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { BlueprintStack, BlueprintStackProps } from "./base-stack";
import { CoreStack, RegionKey } from "./core-stack";
import { MatomoDatabase } from "../modules/mysql/matomo-database";
import { NfsShare } from "../modules/shared-files/nfs-share";
import { ManagedSecret } from "../modules/key-vault/key-vault";
import { DB_NAME, DB_USERS, SECRET_NAMES } from "../modules/common/secret-names";
import { MetricAlerts } from "../modules/monitoring/alerts";
import { mysqlReplicaAlerts, mysqlServerAlerts } from "../modules/monitoring/catalog";

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
    const sizing = this.facts.sizing;
    const workspaceId = core.logAnalytics.workspace.id;
    new RandomProvider(this, "random", {});

    // Generated secrets are ephemeral (random 3.7, Terraform 1.10+): opened on every plan and apply,
    // never stored. They reach only write-only arguments, which Azure receives when their version
    // changes (config `secretVersions`). cdktf 0.21 has no ephemeral construct: written as JSON.
    // MySQL accepts these specials in passwords; shell- and INI-safe too.
    const ephemeral: Record<string, Record<string, unknown>> = {};
    const password = (name: string, length: number, special = true) => {
      ephemeral[name] = {
        length,
        special,
        override_special: special ? "-_.~+" : undefined,
        min_lower: 2,
        min_upper: 2,
        min_numeric: 2,
        min_special: special ? 2 : 0,
      };
      return `\${ephemeral.random_password.${name}.result}`;
    };
    const adminPassword = password("MysqlAdminPassword", 32);
    const matomoDbPassword = password("MatomoDbPassword", 32);
    const salt = password("MatomoSalt", 64, false);
    const superUserPassword = password("SuperUserPassword", 24);
    this.addOverride("ephemeral", { random_password: ephemeral });
    // 0.1.0 stored these as random_password resources: forget them (their values leave state) without destroying anything.
    const forgotten = Object.keys(ephemeral).map((name) => `random_password.${name}`);

    const primaryNet = core.networks.primary;
    const mysqlRegion = (key: RegionKey) => ({
      serverName: naming.mysqlServerIn(key, config.mysql.generation[key]),
      location: config.regions[key].location,
      delegatedSubnetId: core.networks[key].subnets.mysql.id,
      generation: config.mysql.generation[key],
    });
    // Read both regions' MySQL subnets whichever servers exist, so core always exports them: a role change
    // (promotion, new replica) must never need a cross-stack output core has not applied yet.
    new TerraformLocal(this, "mysql_subnet_ids", { primary: mysqlRegion("primary").delegatedSubnetId, secondary: mysqlRegion("secondary").delegatedSubnetId });
    this.database = new MatomoDatabase(this, "Mysql", {
      resourceGroupName: primaryNet.resourceGroup.name,
      source: config.mysql.source,
      readReplica: config.mysql.readReplica,
      regions: { primary: mysqlRegion("primary"), secondary: mysqlRegion("secondary") },
      skuName: sizing.mysqlSkuName,
      version: config.mysql.version,
      storageGiB: sizing.mysqlStorageGiB,
      iops: sizing.mysqlIops,
      backupRetentionDays: config.mysql.backupRetentionDays,
      geoRedundantBackup: config.mysql.geoRedundantBackup,
      primaryZone: config.mysql.primaryZone,
      standbyZone: config.mysql.standbyZone,
      maintenanceWindow: config.mysql.maintenanceWindow,
      privateDnsZoneId: core.privateDns.mysqlZone.id,
      administratorLogin: DB_USERS.admin,
      administratorPassword: { value: adminPassword, version: config.secretVersions.mysqlAdminPassword },
      databaseName: DB_NAME,
      maxConnections: sizing.mysqlMaxConnections,
      sqlGenerateInvisiblePrimaryKey: config.mysql.sqlGenerateInvisiblePrimaryKey,
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

    new MetricAlerts(this, "MysqlAlerts", {
      namePrefix: naming.global("mysql"),
      resourceGroupName: primaryNet.resourceGroup.name,
      scope: this.database.server.id,
      actionGroupId: core.alerts.actionGroup.id,
      tags,
      alerts: mysqlServerAlerts(config.alerts, sizing.mysqlMaxConnections, this.database.sourceHasHa),
    });
    if (this.database.replica) {
      new MetricAlerts(this, "ReplicaAlerts", {
        namePrefix: naming.global("mysql-replica"),
        resourceGroupName: primaryNet.resourceGroup.name,
        scope: this.database.replica.id,
        actionGroupId: core.alerts.actionGroup.id,
        tags,
        alerts: mysqlReplicaAlerts(config.alerts),
      });
    }

    const readers = {
      frontendPrimary: core.frontendIdentities.primary.identity.principalId,
      frontendSecondary: core.frontendIdentities.secondary.identity.principalId,
      archiver: core.archiverIdentity.identity.principalId,
    };
    const archiverOnly = { archiver: readers.archiver };
    const secrets = new Construct(this, "Secrets");
    const secret = (cid: string, name: string, value: string, who: Record<string, string>, writeOnly: { version: number; never?: boolean }) =>
      new ManagedSecret(secrets, cid, {
        keyVaultId: core.vault.vault.id,
        name,
        value,
        contentType: "text/plain",
        readers: who,
        writeOnly,
      });
    const v = config.secretVersions;
    secret("MysqlAdminPassword", SECRET_NAMES.mysqlAdminPassword, adminPassword, archiverOnly, { version: v.mysqlAdminPassword });
    secret("MatomoDbPassword", SECRET_NAMES.matomoDbPassword, matomoDbPassword, readers, { version: v.matomoDbPassword });
    // A new salt invalidates every Matomo session and token: written once, never again.
    secret("MatomoSalt", SECRET_NAMES.matomoSalt, salt, readers, { version: 1, never: true });
    secret("SuperUserPassword", SECRET_NAMES.superUserPassword, superUserPassword, archiverOnly, { version: v.superUserPassword });

    forgotten.push(...this.database.forgotten);
    this.addOverride(
      "removed",
      forgotten.map((from) => ({ from, lifecycle: { destroy: false } })),
    );
  }
}
