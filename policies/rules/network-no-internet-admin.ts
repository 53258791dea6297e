import { check, INTERNET_SOURCES, nsgRuleEndpoints, PolicyRule, portRangeCovers } from "../rule";

export const networkNoInternetAdmin: PolicyRule = {
  id: "BP-NET-1",
  checkovId: "CKV_AZURE_10",
  level: "error",
  resourceTypes: ["azurerm_network_security_rule"],
  description: "No NSG rule may allow SSH or RDP from the Internet.",
  explanation: "VMs are managed from inside the VNet only (CKV_AZURE_9/10).",
  evaluate: ({ attributes: a }) => {
    if (a.direction !== "Inbound" || a.access !== "Allow") return "NOT_APPLICABLE";
    const { sources, ports } = nsgRuleEndpoints(a);
    const fromInternet = sources.some((s) => INTERNET_SOURCES.includes(s.toLowerCase()));
    return check(!(fromInternet && ports.some((p) => portRangeCovers(p, 22) || portRangeCovers(p, 3389))));
  },
};
