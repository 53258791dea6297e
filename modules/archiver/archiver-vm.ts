import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { NetworkInterface } from "@cdktf/provider-azurerm/lib/network-interface";
import { NetworkInterfaceBackendAddressPoolAssociation } from "@cdktf/provider-azurerm/lib/network-interface-backend-address-pool-association";
import { LinuxVirtualMachine } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import { hardenedLinuxVm, LinuxVmBaseProps } from "../common/linux-vm-defaults";
import { AzureResourceProps } from "../common/props";

export interface ArchiverVmProps extends AzureResourceProps, LinuxVmBaseProps {
  readonly vmSku: string;
  /** Zone of the VM; the MySQL primary's zone keeps archiving queries local. */
  readonly zone: string;
  readonly subnetId: string;
  /** Egress-only load-balancer pool (no inbound rule points at it). */
  readonly egressPoolId: string;
  /** The pool's load-balancer outbound rule: the VM must not boot before its egress exists. */
  readonly egressRule: ITerraformDependable;
}

/**
 * The single archiver: hourly `core:archive`, scheduled tasks, installs and
 * upgrades. It keeps no state of its own (reports live in MySQL, shared files
 * on the shares), so replacing it on a model change loses nothing; Premium SSD
 * gives the 99.9 % single-VM SLA.
 */
export class ArchiverVm extends Construct {
  readonly vm: LinuxVirtualMachine;

  constructor(scope: Construct, id: string, props: ArchiverVmProps) {
    super(scope, id);
    const nic = new NetworkInterface(this, "Nic", {
      name: `${props.name}-nic`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      acceleratedNetworkingEnabled: true,
      ipForwardingEnabled: false,
      ipConfiguration: [{ name: "ipconfig", subnetId: props.subnetId, privateIpAddressAllocation: "Dynamic", primary: true }],
      tags: props.tags,
    });
    const poolMembership = new NetworkInterfaceBackendAddressPoolAssociation(this, "EgressPool", {
      networkInterfaceId: nic.id,
      ipConfigurationName: "ipconfig",
      backendAddressPoolId: props.egressPoolId,
    });
    this.vm = new LinuxVirtualMachine(this, "Resource", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      size: props.vmSku,
      zone: props.zone,
      networkInterfaceIds: [nic.id],
      ...hardenedLinuxVm(props),
      allowExtensionOperations: true,
      tags: props.tags,
      dependsOn: [props.egressRule, poolMembership],
    });
  }
}
