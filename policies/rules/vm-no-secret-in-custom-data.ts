import { check, PolicyRule } from "../rule";

const SECRET_MARKERS = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\$\{random_password\./,
  /\$\{azurerm_key_vault_secret\.[^}]*\.value\}/,
  /\$\{tls_private_key\./,
  /\$\{[^}]*administrator_password/,
];

export const vmNoSecretInCustomData: PolicyRule = {
  id: "BP-VM-4",
  level: "error",
  resourceTypes: ["azurerm_linux_virtual_machine_scale_set", "azurerm_linux_virtual_machine"],
  description: "custom_data must not contain secrets or references to them.",
  explanation: "custom_data is readable by anyone with VM read access and kept in state; VMs fetch secrets from Key Vault at boot.",
  evaluate: ({ attributes: a }) => {
    if (a.custom_data === undefined) return "NOT_APPLICABLE";
    const raw = String(a.custom_data);
    // The blueprint base64-encodes cloud-init itself; look inside, not at the encoding.
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, "base64").toString("utf8") : "";
    return check(!SECRET_MARKERS.some((m) => m.test(raw) || m.test(decoded)));
  },
};
