import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { LinuxVirtualMachineScaleSet } from "@cdktf/provider-azurerm/lib/linux-virtual-machine-scale-set";
import { MonitorAutoscaleSetting, MonitorAutoscaleSettingProfileRule } from "@cdktf/provider-azurerm/lib/monitor-autoscale-setting";
import { hardenedLinuxVm, LinuxVmBaseProps } from "../common/linux-vm-defaults";
import { AzureResourceProps } from "../common/props";
import { ROLLING_BATCH_PERCENT } from "../../config/capacity";

export interface FrontendScaleSetProps extends AzureResourceProps, LinuxVmBaseProps {
  readonly vmSku: string;
  /** Availability zones to spread over (at least two). */
  readonly zones: readonly string[];
  /** Autoscale floor; also the initial count. At least 2. */
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Average CPU % above which one instance is added. */
  readonly scaleOutCpuPercent: number;
  /** Average CPU % below which one instance is removed. */
  readonly scaleInCpuPercent: number;
  readonly subnetId: string;
  readonly backendPoolId: string;
  /** Health endpoint checked by the application-health extension. @default "/healthz" */
  readonly healthPath?: string;
  /**
   * Time a new or repaired instance has to become healthy (first boot installs Matomo).
   * @default "PT30M"
   */
  readonly repairGracePeriod?: string;
  /**
   * Rolling upgrades add the new instances before removing old ones. Needs the
   * subscription preview feature Microsoft.Compute/MaxSurgeRollingUpgrade.
   * @default false
   */
  readonly maximumSurge?: boolean;
  /** The scale set's egress path (its load-balancer outbound rule): instances must not boot before it exists. */
  readonly egressDependencies: ITerraformDependable[];
}

/**
 * Matomo frontends: a Uniform scale set spread evenly over zones, rolling
 * upgrades with surge, automatic instance repair and OS image upgrades driven
 * by the application-health extension, autoscaled on CPU. Instances are
 * cattle: no public IP, SSH by key only, identity for Key Vault.
 */
export class FrontendScaleSet extends Construct {
  readonly scaleSet: LinuxVirtualMachineScaleSet;
  readonly autoscale: MonitorAutoscaleSetting;

  constructor(scope: Construct, id: string, props: FrontendScaleSetProps) {
    super(scope, id);
    if (props.zones.length < 2)
      throw new Error(
        `FrontendScaleSet ${props.name}: zones [${props.zones.join(", ")}] must list at least two zones for zone redundancy; use a region with zones (config: regions.<key>.zones)`,
      );
    if (props.minInstances < 2)
      throw new Error(`FrontendScaleSet ${props.name}: minInstances ${props.minInstances} is below the HA floor of 2; set it to 2 or more`);
    if (props.maxInstances < props.minInstances) {
      throw new Error(
        `FrontendScaleSet ${props.name}: maxInstances ${props.maxInstances} is below minInstances ${props.minInstances}; raise maxInstances or lower minInstances`,
      );
    }
    const healthPath = props.healthPath ?? "/healthz";

    this.scaleSet = new LinuxVirtualMachineScaleSet(this, "Resource", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: props.vmSku,
      instances: props.minInstances,
      zones: [...props.zones],
      // Best effort: strict balance blocks scale-out and repair while a zone is down.
      zoneBalance: false,
      platformFaultDomainCount: 1,
      overprovision: false,
      singlePlacementGroup: false,
      upgradeMode: "Rolling",
      rollingUpgradePolicy: {
        maxBatchInstancePercent: ROLLING_BATCH_PERCENT,
        maxUnhealthyInstancePercent: 20,
        maxUnhealthyUpgradedInstancePercent: 20,
        pauseTimeBetweenBatches: "PT2M",
        prioritizeUnhealthyInstancesEnabled: true,
        // With surge, new instances come up before old ones go, so capacity never dips.
        maximumSurgeInstancesEnabled: props.maximumSurge ?? false,
      },
      automaticOsUpgradePolicy: { enableAutomaticOsUpgrade: true, disableAutomaticRollback: false },
      automaticInstanceRepair: { enabled: true, gracePeriod: props.repairGracePeriod ?? "PT30M", action: "Replace" },
      extension: [
        {
          name: "application-health",
          publisher: "Microsoft.ManagedServices",
          type: "ApplicationHealthLinux",
          typeHandlerVersion: "2.0",
          autoUpgradeMinorVersion: true,
          settings: JSON.stringify({ protocol: "https", port: 443, requestPath: healthPath, intervalInSeconds: 5, numberOfProbes: 2 }),
        },
      ],
      ...hardenedLinuxVm(props),
      networkInterface: [
        {
          name: "nic",
          primary: true,
          enableAcceleratedNetworking: true,
          ipConfiguration: [
            {
              name: "ipconfig",
              primary: true,
              subnetId: props.subnetId,
              loadBalancerBackendAddressPoolIds: [props.backendPoolId],
            },
          ],
        },
      ],
      scaleIn: { rule: "Default", forceDeletionEnabled: false },
      tags: props.tags,
      dependsOn: props.egressDependencies,
      // Autoscale owns the instance count.
      lifecycle: { ignoreChanges: ["instances"] },
    });

    const cpuRule = (direction: "Increase" | "Decrease"): MonitorAutoscaleSettingProfileRule => ({
      metricTrigger: {
        metricName: "Percentage CPU",
        metricResourceId: this.scaleSet.id,
        timeGrain: "PT1M",
        statistic: "Average",
        timeWindow: direction === "Increase" ? "PT5M" : "PT10M",
        timeAggregation: "Average",
        operator: direction === "Increase" ? "GreaterThan" : "LessThan",
        threshold: direction === "Increase" ? props.scaleOutCpuPercent : props.scaleInCpuPercent,
      },
      scaleAction: { direction, type: "ChangeCount", value: 1, cooldown: direction === "Increase" ? "PT5M" : "PT15M" },
    });
    this.autoscale = new MonitorAutoscaleSetting(this, "Autoscale", {
      name: `${props.name}-autoscale`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      targetResourceId: this.scaleSet.id,
      enabled: true,
      profile: [
        {
          name: "cpu",
          capacity: { default: props.minInstances, minimum: props.minInstances, maximum: props.maxInstances },
          rule: [cpuRule("Increase"), cpuRule("Decrease")],
        },
      ],
      tags: props.tags,
    });
  }
}
