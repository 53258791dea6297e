import { block, blocks, check, PolicyRule } from "../rule";

function ipConfigurations(a: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  const nics = a.network_interface ? blocks(a.network_interface) : [a];
  return nics.flatMap((n) => blocks(n.ip_configuration));
}

export const vmNoPublicIp: PolicyRule = {
  id: "BP-VM-3",
  checkovId: "CKV_AZURE_119",
  level: "error",
  resourceTypes: ["azurerm_linux_virtual_machine_scale_set", "azurerm_network_interface"],
  description: "No VM may have a public IP.",
  explanation: "Visitors reach frontends only through Cloudflare and the regional load balancer; admins come from inside the VNet.",
  evaluate: ({ attributes: a }) => check(ipConfigurations(a).every((ip) => ip.public_ip_address_id === undefined && block(ip.public_ip_address) === undefined)),
};
