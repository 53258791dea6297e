import { check, PolicyRule } from "../rule";

export const vmEncryptionAtHost: PolicyRule = {
  id: "BP-VM-2",
  checkovId: "CKV_AZURE_97",
  level: "error",
  resourceTypes: ["azurerm_linux_virtual_machine_scale_set", "azurerm_linux_virtual_machine"],
  description: "VMs must use encryption at host.",
  explanation: "It encrypts temp disks and disk caches too, where PHP sessions and Matomo's tmp/ may land.",
  evaluate: ({ attributes: a }) => check(a.encryption_at_host_enabled === true),
};
