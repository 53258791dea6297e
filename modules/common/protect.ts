import { Construct } from "constructs";
import { TerraformResource } from "cdktf";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";

export interface StatefulProtectionProps {
  /** Azure resource ID the lock applies to. */
  readonly resourceId: string;
  /** Lock name shown in the portal. */
  readonly lockName: string;
  /** Why the lock exists, shown to whoever tries to delete the resource. */
  readonly notes: string;
}

/**
 * Protects a stateful resource twice: `prevent_destroy` stops a plan that would
 * replace or delete it, and a `CanNotDelete` lock stops deletion outside
 * Terraform. Removing either is a deliberate, reviewed code change.
 */
export function protectStateful(scope: Construct, resource: TerraformResource, props: StatefulProtectionProps): ManagementLock {
  resource.addOverride("lifecycle.prevent_destroy", true);
  return new ManagementLock(scope, "DeleteLock", {
    name: props.lockName,
    scope: props.resourceId,
    lockLevel: "CanNotDelete",
    notes: props.notes,
  });
}
