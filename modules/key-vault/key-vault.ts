import { Construct } from "constructs";
import { DataResource, ITerraformDependable } from "cdktf";
import { readFileSync } from "fs";
import { sourceFile } from "../common/source-file";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { protectStateful } from "../common/protect";
import { Diagnostics } from "../common/diagnostics";

/** The wait script, from the source tree when running compiled code (tsc does not copy it to dist/). */
function awaitDataPlaneScript(): string {
  const file = sourceFile(__dirname, "modules/key-vault", "await-data-plane.sh");
  // Terraform would read the shell's ${...} and %{...} as its own template syntax: escape them.
  return readFileSync(file, "utf8")
    .replace(/\r\n/g, "\n")
    .replace(/([$%])\{/g, (_m, c: string) => `${c}${c}{`);
}

export interface SecretsVaultProps {
  /** Globally unique vault name, 3-24 characters. */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tenantId: string;
  /** Principal that deploys (CI), granted "Key Vault Secrets Officer" to write generated secrets. */
  readonly deployerObjectId: string;
  /** Subnets whose VMs read secrets (through the Key Vault service endpoint). */
  readonly allowedSubnetIds: string[];
  /**
   * Public CIDRs allowed to reach the data plane, i.e. the CI runners that write secrets.
   * @default - none: deploy from a runner inside an allowed subnet
   */
  readonly allowedCidrs?: string[];
  readonly logAnalyticsWorkspaceId: string;
  readonly tags: Record<string, string>;
}

/**
 * Key Vault for generated secrets: RBAC only (no access policies), purge
 * protection, 90-day soft delete, network deny by default, a delete lock and
 * `prevent_destroy`.
 * @stateful
 */
export class SecretsVault extends Construct {
  readonly vault: KeyVault;
  /** The deployer's data-plane role. */
  readonly deployerAccess: RoleAssignment;
  /**
   * Completes once the deployer can use the data plane (role propagated, firewall passed):
   * what the first secret write waits for, within this stack or through the stack order.
   */
  readonly dataPlaneReady: DataResource;

  constructor(scope: Construct, id: string, props: SecretsVaultProps) {
    super(scope, id);
    this.vault = new KeyVault(this, "Resource", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tenantId: props.tenantId,
      skuName: "standard",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: true, // required for network ACLs to apply; default action is Deny
      networkAcls: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        virtualNetworkSubnetIds: props.allowedSubnetIds,
        ipRules: props.allowedCidrs ?? [],
      },
      tags: props.tags,
    });
    protectStateful(this, this.vault, {
      resourceId: this.vault.id,
      lockName: "do-not-delete-secrets",
      notes: "Holds the MySQL, Matomo and origin TLS secrets; purge protection keeps deleted secrets 90 days.",
    });
    this.deployerAccess = new RoleAssignment(this, "DeployerSecretsOfficer", {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Secrets Officer",
      principalId: props.deployerObjectId,
    });
    // Runs on create and whenever the assignment is re-created; needs the Azure CLI logged in as the deployer.
    this.dataPlaneReady = new DataResource(this, "DeployerAccessReady", {
      triggersReplace: { roleAssignmentId: this.deployerAccess.id },
      provisioners: [
        {
          type: "local-exec",
          interpreter: ["/bin/sh", "-c"],
          command: awaitDataPlaneScript(),
          environment: { VAULT: props.name },
        },
      ],
    });
    new Diagnostics(this, "Diagnostics", {
      targetResourceId: this.vault.id,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      logCategoryGroup: "audit",
    });
  }
}

export interface ManagedSecretProps {
  /** Vault that stores the secret. */
  readonly keyVaultId: string;
  /** Secret name in the vault; VMs fetch it by this name. */
  readonly name: string;
  /** The value (a reference to a generated resource, never a literal). */
  readonly value: string;
  /**
   * Send `value` only to the write-only `value_wo`, written when `version` changes, so
   * state never holds it (Terraform 1.11+). `value` may then be ephemeral.
   * `never` rewrites it once created (a value that must not change, like the salt).
   * @default - `value` is stored in the ordinary, state-held argument
   */
  readonly writeOnly?: { readonly version: number; readonly never?: boolean };
  /** MIME-ish description of the value, e.g. `text/plain` or `application/x-pem-file`. */
  readonly contentType: string;
  /** Readers by role name (stable construct IDs), granted "Key Vault Secrets User" on this secret only. */
  readonly readers: Readonly<Record<string, string>>;
  /**
   * Resources the write must wait for (the vault's `dataPlaneReady`) when in
   * the same stack; across stacks the order comes from the stack dependency.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** A secret plus read access scoped to that one secret (least privilege). */
export class ManagedSecret extends Construct {
  readonly secret: KeyVaultSecret;

  constructor(scope: Construct, id: string, props: ManagedSecretProps) {
    super(scope, id);
    this.secret = new KeyVaultSecret(this, "Resource", {
      name: props.name,
      keyVaultId: props.keyVaultId,
      ...(props.writeOnly ? { valueWo: props.value, valueWoVersion: props.writeOnly.version } : { value: props.value }),
      contentType: props.contentType,
      dependsOn: props.dependsOn,
      // `value` holds what an environment stored before write-only values; ignoring it keeps that
      // value instead of rewriting the secret with a new generated one.
      lifecycle: props.writeOnly ? { ignoreChanges: props.writeOnly.never ? ["value", "value_wo_version"] : ["value"] } : undefined,
    });
    Object.entries(props.readers).forEach(
      ([role, principalId]) =>
        new RoleAssignment(this, `Reader-${role}`, {
          scope: this.secret.resourceVersionlessId,
          roleDefinitionName: "Key Vault Secrets User",
          principalId,
          principalType: "ServicePrincipal",
        }),
    );
  }
}
