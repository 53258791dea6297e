import { block, blocks, check, PolicyRule } from "../rule";

export const vmssZoneResilient: PolicyRule = {
  id: "BP-VMSS-1",
  level: "error",
  resourceTypes: ["azurerm_linux_virtual_machine_scale_set"],
  description: "Scale sets must span at least two zones, roll upgrades, and repair unhealthy instances from a health signal.",
  explanation: "A zone loss must leave serving instances, and a bad model or a broken VM must be caught by health, not by visitors.",
  evaluate: ({ attributes: a }) => {
    const zones: unknown[] = Array.isArray(a.zones) ? a.zones : [];
    const health = a.health_probe_id !== undefined || blocks(a.extension).some((e) => /^ApplicationHealth(Linux|Windows)$/.test(String(e.type)));
    return check(zones.length >= 2 && a.upgrade_mode === "Rolling" && block(a.automatic_instance_repair)?.enabled === true && health);
  },
};
