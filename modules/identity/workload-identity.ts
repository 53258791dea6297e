import { Construct } from "constructs";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { AzureResourceProps } from "../common/props";

export type WorkloadIdentityProps = AzureResourceProps;

/**
 * A user-assigned identity for one VM role. Access is granted per secret by
 * the stack that owns the secret (`ManagedSecret` readers), never vault-wide.
 */
export class WorkloadIdentity extends Construct {
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    this.identity = new UserAssignedIdentity(this, "Resource", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tags: props.tags,
    });
  }
}
