/**
 * Azure-shaped resource IDs for the azurerm stand-in, following the ARM ID
 * layout (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 * and each resource's "Import" section in the azurerm documentation).
 * `{attr}` is the planned attribute; `{last:attr}` the last segment of an ID attribute.
 */
import type { Value } from "./values";

const RG = "/subscriptions/{sub}/resourceGroups/{resource_group_name}";
const NET = `${RG}/providers/Microsoft.Network`;
const INSIGHTS = `${RG}/providers/Microsoft.Insights`;

const TEMPLATES: Record<string, string> = {
  azurerm_resource_group: "/subscriptions/{sub}/resourceGroups/{name}",
  azurerm_virtual_network: `${NET}/virtualNetworks/{name}`,
  azurerm_subnet: `${NET}/virtualNetworks/{virtual_network_name}/subnets/{name}`,
  azurerm_virtual_network_peering: `${NET}/virtualNetworks/{virtual_network_name}/virtualNetworkPeerings/{name}`,
  azurerm_network_security_group: `${NET}/networkSecurityGroups/{name}`,
  azurerm_network_security_rule: `${NET}/networkSecurityGroups/{network_security_group_name}/securityRules/{name}`,
  azurerm_subnet_network_security_group_association: "{subnet_id}",
  azurerm_public_ip: `${NET}/publicIPAddresses/{name}`,
  azurerm_nat_gateway: `${NET}/natGateways/{name}`,
  azurerm_network_interface: `${NET}/networkInterfaces/{name}`,
  azurerm_private_endpoint: `${NET}/privateEndpoints/{name}`,
  azurerm_private_dns_zone: `${NET}/privateDnsZones/{name}`,
  azurerm_private_dns_zone_virtual_network_link: `${NET}/privateDnsZones/{private_dns_zone_name}/virtualNetworkLinks/{name}`,
  azurerm_bastion_host: `${NET}/bastionHosts/{name}`,
  azurerm_lb: `${NET}/loadBalancers/{name}`,
  azurerm_lb_backend_address_pool: "{loadbalancer_id}/backendAddressPools/{name}",
  azurerm_lb_outbound_rule: "{loadbalancer_id}/outboundRules/{name}",
  azurerm_lb_probe: "{loadbalancer_id}/probes/{name}",
  azurerm_lb_rule: "{loadbalancer_id}/loadBalancingRules/{name}",
  azurerm_key_vault: `${RG}/providers/Microsoft.KeyVault/vaults/{name}`,
  azurerm_key_vault_secret: "https://{last:key_vault_id}.vault.azure.net/secrets/{name}/{version}",
  azurerm_storage_account: `${RG}/providers/Microsoft.Storage/storageAccounts/{name}`,
  azurerm_storage_share: "{storage_account_id}/fileServices/default/fileshares/{name}",
  azurerm_mysql_flexible_server: `${RG}/providers/Microsoft.DBforMySQL/flexibleServers/{name}`,
  azurerm_mysql_flexible_database: `${RG}/providers/Microsoft.DBforMySQL/flexibleServers/{server_name}/databases/{name}`,
  azurerm_mysql_flexible_server_configuration: `${RG}/providers/Microsoft.DBforMySQL/flexibleServers/{server_name}/configurations/{name}`,
  azurerm_user_assigned_identity: `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`,
  azurerm_linux_virtual_machine: `${RG}/providers/Microsoft.Compute/virtualMachines/{name}`,
  azurerm_linux_virtual_machine_scale_set: `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}`,
  azurerm_orchestrated_virtual_machine_scale_set: `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}`,
  azurerm_managed_disk: `${RG}/providers/Microsoft.Compute/disks/{name}`,
  azurerm_virtual_machine_extension: "{virtual_machine_id}/extensions/{name}",
  azurerm_virtual_machine_data_disk_attachment: "{virtual_machine_id}/dataDisks/{last:managed_disk_id}",
  azurerm_log_analytics_workspace: `${RG}/providers/Microsoft.OperationalInsights/workspaces/{name}`,
  azurerm_application_insights: `${INSIGHTS}/components/{name}`,
  azurerm_monitor_action_group: `${INSIGHTS}/actionGroups/{name}`,
  azurerm_monitor_metric_alert: `${INSIGHTS}/metricAlerts/{name}`,
  azurerm_monitor_activity_log_alert: `${INSIGHTS}/activityLogAlerts/{name}`,
  azurerm_monitor_scheduled_query_rules_alert_v2: `${INSIGHTS}/scheduledQueryRules/{name}`,
  azurerm_monitor_autoscale_setting: `${INSIGHTS}/autoScaleSettings/{name}`,
  azurerm_monitor_data_collection_rule: `${INSIGHTS}/dataCollectionRules/{name}`,
  azurerm_monitor_data_collection_rule_association: "{target_resource_id}/providers/Microsoft.Insights/dataCollectionRuleAssociations/{name}",
  // The provider joins target and name with a pipe.
  azurerm_monitor_diagnostic_setting: "{target_resource_id}|{name}",
  azurerm_management_lock: "{scope}/providers/Microsoft.Authorization/locks/{name}",
  azurerm_role_assignment: "{scope}/providers/Microsoft.Authorization/roleAssignments/{uuid}",
};

function uuidFrom(seed: string): string {
  const h = seed.padEnd(32, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function azureId(type: string, planned: Record<string, Value>, subscriptionId: string, seed: string): string {
  const template = TEMPLATES[type] ?? `${RG}/providers/Microsoft.Offline/${type}/{name}`;
  return template.replace(/\{(last:)?([a-z_]+)\}/g, (_, last: string | undefined, attr: string) => {
    if (attr === "sub") return subscriptionId;
    if (attr === "uuid") return uuidFrom(seed);
    if (attr === "version") return seed.slice(0, 32);
    const v = planned[attr];
    const text = typeof v === "string" ? v : `unknown-${attr}`;
    return last ? (text.split("/").filter(Boolean).pop() ?? text) : text;
  });
}
