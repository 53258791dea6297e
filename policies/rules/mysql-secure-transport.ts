import { check, PolicyRule } from "../rule";

export const mysqlSecureTransport: PolicyRule = {
  id: "BP-MYSQL-4",
  level: "error",
  resourceTypes: ["azurerm_mysql_flexible_server_configuration"],
  description: "MySQL must require TLS (require_secure_transport=ON, tls_version TLSv1.2+ only).",
  explanation: "Checkov has no check for these server parameters; credentials and analytics data cross the VNet peering.",
  evaluate: ({ attributes: a }) => {
    if (a.name === "require_secure_transport") return check(String(a.value).toUpperCase() === "ON");
    if (a.name === "tls_version") return check(!/TLSv1(\.1)?(,|$)/i.test(String(a.value)));
    return "NOT_APPLICABLE";
  },
};
