import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { BlueprintStack, BlueprintStackProps } from "./base-stack";
import { CoreStack, RegionKey } from "./core-stack";
import { DataStack } from "./data-stack";
import { RegionalLoadBalancer } from "../modules/frontend/regional-load-balancer";
import { FrontendScaleSet } from "../modules/frontend/frontend-scale-set";
import { ArchiverVm } from "../modules/archiver/archiver-vm";
import { DEFAULT_HEALTH_PATH, MatomoHostSettings, renderArchiverCloudInit, renderFrontendCloudInit } from "../modules/cloud-init";
import { suppressRule } from "../policies/suppressions";
import { MetricAlerts } from "../modules/monitoring/alerts";
import { frontendAlerts, loadBalancerAlerts } from "../modules/monitoring/catalog";
import { ArchiveHeartbeat } from "../modules/monitoring/archive-heartbeat";
import { SYSLOG_TAGS } from "../modules/cloud-init";

export interface AppStackProps extends BlueprintStackProps {
  readonly region: RegionKey;
  readonly core: CoreStack;
  readonly data: DataStack;
  /**
   * Stacks that must be applied first although nothing here refers to them by
   * token: VMs need the database, shares and secrets (data) and the origin
   * certificate (edge) at first boot.
   */
  readonly after?: readonly TerraformStack[];
}

/**
 * One region's Matomo compute: the regional load balancer, the frontend
 * scale set with autoscale, and in the primary region the archiver. This is
 * the stack that changes with Matomo upgrades and sizing, one region at a time.
 */
export class AppStack extends BlueprintStack {
  readonly loadBalancer: RegionalLoadBalancer;
  readonly frontends: FrontendScaleSet;
  readonly archiver?: ArchiverVm;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, naming, tags } = this;
    const { core, data } = props;
    for (const stack of props.after ?? []) this.addDependency(stack);
    const region = config.regions[props.region];
    const network = core.networks[props.region];
    const isPrimary = props.region === "primary";
    const sizing = this.facts.sizing;
    const rg = network.resourceGroup.name;
    const workspaceId = core.logAnalytics.workspace.id;
    const maxInstances = sizing.maxInstances;

    this.loadBalancer = new RegionalLoadBalancer(this, "LoadBalancer", {
      name: naming.regional(region, "lb"),
      location: region.location,
      resourceGroupName: rg,
      inboundPublicIpId: network.inboundPublicIp.id,
      egressPublicIpId: network.egressPublicIp.id,
      healthPath: DEFAULT_HEALTH_PATH,
      maxEgressVms: sizing.maxFrontendsDuringRollout + (isPrimary ? 1 : 0),
      withArchiverPool: isPrimary,
      logAnalyticsWorkspaceId: workspaceId,
      tags,
    });

    // Every region writes to the source server, wherever `mysql.source` puts it.
    const dbHost = naming.mysqlSourceHost;
    const share = data.shares[props.region];
    const host: MatomoHostSettings = {
      matomoVersion: config.matomo.version,
      publicHostname: config.hostname,
      trustedHosts: config.matomo.extraTrustedHosts,
      keyVaultName: naming.keyVault,
      database: { host: dbHost },
      share: { host: share.host, exportPath: share.exportPath },
      php: { fpmMaxChildren: sizing.phpWorkersPerFrontend },
      timezone: config.matomo.timezone,
      healthPath: DEFAULT_HEALTH_PATH,
    };

    this.frontends = new FrontendScaleSet(this, "Frontends", {
      name: naming.regional(region, "web-vmss"),
      location: region.location,
      resourceGroupName: rg,
      vmSku: sizing.frontendVmSku,
      zones: region.zones,
      minInstances: isPrimary ? sizing.primaryMinInstances : sizing.secondaryMinInstances,
      maxInstances,
      scaleOutCpuPercent: config.frontends.scaleOutCpuPercent,
      scaleInCpuPercent: config.frontends.scaleInCpuPercent,
      subnetId: network.subnets.frontends.id,
      backendPoolId: this.loadBalancer.frontendPool.id,
      identityId: core.frontendIdentities[props.region].identity.id,
      adminUsername: config.admin.username,
      sshPublicKey: config.admin.sshPublicKey,
      cloudInit: renderFrontendCloudInit(host),
      healthPath: DEFAULT_HEALTH_PATH,
      encryptionAtHost: config.compute.encryptionAtHost,
      maximumSurge: config.compute.maximumSurge,
      egressDependencies: [this.loadBalancer.frontendEgress],
      tags,
    });

    if (isPrimary) {
      const secondaryShare = data.shares.secondary;
      this.archiver = new ArchiverVm(this, "Archiver", {
        name: naming.regional(region, "archiver"),
        location: region.location,
        resourceGroupName: rg,
        vmSku: sizing.archiverVmSku,
        zone: config.mysql.primaryZone,
        subnetId: network.subnets.archiver.id,
        egressPoolId: this.loadBalancer.archiverPool!.id,
        egressRule: this.loadBalancer.archiverEgress!,
        identityId: core.archiverIdentity.identity.id,
        adminUsername: config.admin.username,
        sshPublicKey: config.admin.sshPublicKey,
        cloudInit: renderArchiverCloudInit({
          ...host,
          php: { fpmMaxChildren: sizing.phpWorkersPerFrontend },
          replicaShares: [{ host: secondaryShare.host, exportPath: secondaryShare.exportPath }],
          superUser: { login: config.matomo.superUserLogin, email: config.matomo.superUserEmail },
          site: { name: config.matomo.siteName, url: config.matomo.siteUrl },
          upgradeWaitMinutes: config.archiver.upgradeWaitMinutes,
        }),
        encryptionAtHost: config.compute.encryptionAtHost,
        tags,
      });
    }

    const actionGroupId = core.alerts.actionGroup.id;
    new MetricAlerts(this, "FrontendAlerts", {
      namePrefix: naming.regional(region, "web"),
      resourceGroupName: rg,
      scope: this.frontends.scaleSet.id,
      actionGroupId,
      tags,
      alerts: frontendAlerts(config.alerts, maxInstances),
    });
    new MetricAlerts(this, "LoadBalancerAlerts", {
      namePrefix: naming.regional(region, "lb"),
      resourceGroupName: rg,
      scope: this.loadBalancer.lb.id,
      actionGroupId,
      tags,
      alerts: loadBalancerAlerts(),
    });
    if (this.archiver) {
      new ArchiveHeartbeat(this, "ArchiveHeartbeat", {
        namePrefix: naming.regional(region, "archiver"),
        location: region.location,
        resourceGroupName: rg,
        virtualMachineId: this.archiver.vm.id,
        identityId: core.archiverIdentity.identity.id,
        logAnalyticsWorkspaceId: workspaceId,
        heartbeatTag: SYSLOG_TAGS.archiveHeartbeat,
        staleHours: config.alerts.archiveStaleHours,
        actionGroupId,
        tags,
      });
    }

    if (!config.compute.encryptionAtHost) {
      const reason = "compute.encryptionAtHost = false in the environment config: the subscription lacks the EncryptionAtHost feature";
      suppressRule(this.frontends.scaleSet, "BP-VM-2", reason);
      if (this.archiver) suppressRule(this.archiver.vm, "BP-VM-2", reason);
    }
  }
}
