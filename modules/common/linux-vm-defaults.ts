/** What every Matomo VM (scale-set instance or archiver) shares. */
export interface LinuxVmBaseProps {
  readonly adminUsername: string;
  readonly sshPublicKey: string;
  /** The VM's single user-assigned identity (Key Vault access without client IDs). */
  readonly identityId: string;
  /** `#cloud-config` YAML (no secrets: VMs fetch those from Key Vault). */
  readonly cloudInit: string;
  /** Encryption at host (needs the subscription feature `Microsoft.Compute/EncryptionAtHost`). @default true */
  readonly encryptionAtHost?: boolean;
}

/**
 * The hardened Linux settings common to the scale set and the archiver, in the
 * attribute names both azurerm resources share: SSH key only, Trusted Launch,
 * encryption at host, Ubuntu 24.04 LTS, Premium SSD, one managed identity.
 */
export function hardenedLinuxVm(props: LinuxVmBaseProps) {
  return {
    adminUsername: props.adminUsername,
    adminSshKey: [{ username: props.adminUsername, publicKey: props.sshPublicKey }],
    disablePasswordAuthentication: true,
    provisionVmAgent: true,
    encryptionAtHostEnabled: props.encryptionAtHost ?? true,
    secureBootEnabled: true,
    vtpmEnabled: true,
    identity: { type: "UserAssigned", identityIds: [props.identityId] },
    sourceImageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
    osDisk: { caching: "ReadWrite", storageAccountType: "Premium_LRS", diskSizeGb: 64 },
    // Encoded here, not with Terraform's base64encode: shell `${VAR}` in the scripts must not be read as interpolation.
    customData: Buffer.from(props.cloudInit, "utf8").toString("base64"),
    bootDiagnostics: {},
  };
}
