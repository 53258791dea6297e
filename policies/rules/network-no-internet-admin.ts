import { check, isUnresolved, PolicyRule } from "../rule";

const INTERNET = ["*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0"];
const ADMIN_PORTS = [22, 3389];

function coversAdminPort(range: string): boolean {
  if (range === "*") return true;
  const [lo, hi] = range.split("-").map(Number);
  return ADMIN_PORTS.some((p) => p >= lo && p <= (hi ?? lo));
}

export const networkNoInternetAdmin: PolicyRule = {
  id: "BP-NET-1",
  checkovId: "CKV_AZURE_10",
  level: "error",
  resourceTypes: ["azurerm_network_security_rule"],
  description: "No NSG rule may allow SSH or RDP from the Internet.",
  explanation: "VMs are managed from inside the VNet only (CKV_AZURE_9/10).",
  evaluate: ({ attributes: a }) => {
    if (a.direction !== "Inbound" || a.access !== "Allow") return "NOT_APPLICABLE";
    const sources: string[] = [a.source_address_prefix, ...(Array.isArray(a.source_address_prefixes) ? a.source_address_prefixes : [])].filter(
      (s) => typeof s === "string" && !isUnresolved(s),
    );
    const ports: string[] = [a.destination_port_range, ...(a.destination_port_ranges ?? [])].filter((p) => typeof p === "string");
    const fromInternet = sources.some((s) => INTERNET.includes(s.toLowerCase()));
    return check(!(fromInternet && ports.some(coversAdminPort)));
  },
};
