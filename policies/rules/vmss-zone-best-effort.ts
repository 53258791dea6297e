import { PolicyRule } from "../rule";

export const vmssZoneBestEffort: PolicyRule = {
  id: "BP-VMSS-2",
  level: "error",
  resourceTypes: ["azurerm_linux_virtual_machine_scale_set"],
  description: "Zonal scale sets must balance zones best effort (zone_balance = false), not strictly.",
  explanation:
    "With strict zone balance, scale-out and automatic repairs fail while one zone is down, exactly when the other zones must absorb its load; " +
    "best effort still spreads instances evenly and rebalances when the zone returns (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-use-availability-zones#zone-balancing).",
  evaluate: ({ attributes: a }) => {
    if (!Array.isArray(a.zones) || a.zones.length < 2) return "NOT_APPLICABLE";
    return a.zone_balance === true ? "NON_COMPLIANT" : "COMPLIANT";
  },
};
