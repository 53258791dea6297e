import type { Check } from "../types";
import { readOrProblem } from "../errors";

/**
 * The Azure resource provider behind each azurerm resource type the stacks synthesize. `null`: Microsoft.Resources
 * and Microsoft.Authorization, which every subscription has registered. A test keeps this table complete against
 * the synthesized stacks, so a new resource type cannot slip past the check.
 */
export const AZURERM_RESOURCE_PROVIDERS: Readonly<Record<string, string | null>> = {
  azurerm_resource_group: null,
  azurerm_role_assignment: null,
  azurerm_management_lock: null,
  azurerm_linux_virtual_machine: "Microsoft.Compute",
  azurerm_linux_virtual_machine_scale_set: "Microsoft.Compute",
  azurerm_virtual_machine_extension: "Microsoft.Compute",
  azurerm_lb: "Microsoft.Network",
  azurerm_lb_backend_address_pool: "Microsoft.Network",
  azurerm_lb_outbound_rule: "Microsoft.Network",
  azurerm_lb_probe: "Microsoft.Network",
  azurerm_lb_rule: "Microsoft.Network",
  azurerm_network_interface: "Microsoft.Network",
  azurerm_network_interface_backend_address_pool_association: "Microsoft.Network",
  azurerm_network_security_group: "Microsoft.Network",
  azurerm_network_security_rule: "Microsoft.Network",
  azurerm_private_dns_zone: "Microsoft.Network",
  azurerm_private_dns_zone_virtual_network_link: "Microsoft.Network",
  azurerm_private_endpoint: "Microsoft.Network",
  azurerm_public_ip: "Microsoft.Network",
  azurerm_subnet: "Microsoft.Network",
  azurerm_subnet_network_security_group_association: "Microsoft.Network",
  azurerm_virtual_network: "Microsoft.Network",
  azurerm_virtual_network_peering: "Microsoft.Network",
  azurerm_storage_account: "Microsoft.Storage",
  azurerm_storage_share: "Microsoft.Storage",
  azurerm_key_vault: "Microsoft.KeyVault",
  azurerm_key_vault_secret: "Microsoft.KeyVault",
  azurerm_mysql_flexible_server: "Microsoft.DBforMySQL",
  azurerm_mysql_flexible_database: "Microsoft.DBforMySQL",
  azurerm_mysql_flexible_server_configuration: "Microsoft.DBforMySQL",
  azurerm_log_analytics_workspace: "Microsoft.OperationalInsights",
  azurerm_monitor_action_group: "Microsoft.Insights",
  azurerm_monitor_autoscale_setting: "Microsoft.Insights",
  azurerm_monitor_data_collection_rule: "Microsoft.Insights",
  azurerm_monitor_data_collection_rule_association: "Microsoft.Insights",
  azurerm_monitor_diagnostic_setting: "Microsoft.Insights",
  azurerm_monitor_metric_alert: "Microsoft.Insights",
  azurerm_monitor_scheduled_query_rules_alert_v2: "Microsoft.Insights",
  azurerm_user_assigned_identity: "Microsoft.ManagedIdentity",
};

/** Namespaces that must be registered on the subscription, sorted. */
export function requiredProviders(): string[] {
  return [...new Set(Object.values(AZURERM_RESOURCE_PROVIDERS).filter((ns): ns is string => ns !== null))].sort();
}

export const resourceProviders: Check = {
  id: "resource-providers",
  title: "Azure resource providers registered",
  needs: ["azure"],
  sources: [
    "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types",
    "https://learn.microsoft.com/rest/api/resources/providers/list",
  ],
  async run(ctx) {
    const required = requiredProviders();
    const listed = await readOrProblem(
      () => ctx.azure.providers(),
      (e) => `cannot list the subscription's resource providers: ${e}; the identity needs Reader on subscription ${ctx.config.azure.subscriptionId}`,
    );
    if (!listed.ok) return listed.findings;
    const state = new Map(listed.value.map((p) => [(p.namespace ?? "").toLowerCase(), p.registrationState ?? "unknown"]));
    const problems = required.flatMap((ns) => {
      const s = state.get(ns.toLowerCase()) ?? "NotRegistered";
      if (s === "Registered") return [];
      const fix = `run \`az provider register --namespace ${ns} --wait\` (needs permission to register providers on the subscription)`;
      return [s === "Registering" ? `${ns} is still Registering: wait until it is Registered, or ${fix}` : `${ns} is ${s}: ${fix}`];
    });
    return { problems, summary: `${required.length} providers registered (${required.join(", ")})` };
  },
};
