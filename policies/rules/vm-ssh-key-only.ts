import { check, PolicyRule } from "../rule";

export const vmSshKeyOnly: PolicyRule = {
  id: "BP-VM-1",
  checkovId: "CKV_AZURE_49",
  level: "error",
  resourceTypes: ["azurerm_linux_virtual_machine_scale_set", "azurerm_linux_virtual_machine"],
  description: "Linux VMs must disable password authentication and use SSH keys.",
  explanation: "Passwords can be guessed or leak into state; keys are the only login (CKV_AZURE_1/149/178).",
  evaluate: ({ attributes: a }) =>
    check(a.disable_password_authentication === true && a.admin_password === undefined && Array.isArray(a.admin_ssh_key) && a.admin_ssh_key.length > 0),
};
