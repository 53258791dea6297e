import { check, dependsOn, PolicyRule } from "../rule";

export const vmEgressBeforeBoot: PolicyRule = {
  id: "BP-VM-5",
  level: "error",
  resourceTypes: ["azurerm_linux_virtual_machine", "azurerm_linux_virtual_machine_scale_set"],
  description: "VMs must depend on their load-balancer outbound rule (and a VM on its NIC's pool membership), their only egress path.",
  explanation:
    "Subnets have default outbound access off, so a VM that boots before its outbound rule exists has no Internet: first-boot package installs and the release download fail, " +
    "and the scale set's repair loop replaces instances forever (https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access, " +
    "https://learn.microsoft.com/azure/load-balancer/outbound-rules).",
  evaluate: ({ type, attributes: a }) => {
    const deps = dependsOn(a);
    const outbound = deps.some((d) => d.startsWith("azurerm_lb_outbound_rule."));
    const inPool =
      type === "azurerm_linux_virtual_machine_scale_set" || deps.some((d) => d.startsWith("azurerm_network_interface_backend_address_pool_association."));
    return check(outbound && inPool);
  },
};
