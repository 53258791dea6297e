import { BlueprintConfigInput } from "../schema";

/**
 * A realistic production template. Replace every value marked REPLACE before
 * the first deploy; state lives in Azure Storage (see docs/runbooks/bootstrap-state.md).
 */
export const prod: BlueprintConfigInput = {
  org: "ctso",
  name: "matomo",
  environment: "prod",
  azure: {
    subscriptionId: "11111111-2222-3333-4444-555555555555", // REPLACE
    tenantId: "66666666-7777-8888-9999-000000000000", // REPLACE
  },
  regions: {
    primary: {
      location: "westeurope",
      shortName: "weu",
      addressSpace: "10.40.0.0/20",
      zones: ["1", "2", "3"],
      cloudflareCheckRegions: ["WEU"],
      latitude: 52.37,
      longitude: 4.9,
    },
    secondary: {
      location: "northeurope",
      shortName: "neu",
      addressSpace: "10.41.0.0/20",
      zones: ["1", "2", "3"],
      cloudflareCheckRegions: ["WEU", "EEU"],
      latitude: 53.35,
      longitude: -6.26,
    },
  },
  hostname: "analytics.contoso.com", // REPLACE
  cloudflare: {
    accountId: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // REPLACE
    zoneId: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", // REPLACE
    zoneName: "contoso.com", // REPLACE
    plan: "business",
    steeringPolicy: "failover",
    monitorIntervalSeconds: 15,
  },
  matomo: {
    version: "5.10.0",
    superUserLogin: "analytics-admin",
    superUserEmail: "analytics-admins@contoso.com", // REPLACE
    siteUrl: "https://www.contoso.com", // REPLACE
    siteName: "Contoso",
    timezone: "Europe/Amsterdam",
  },
  size: "medium",
  mysql: {
    backupRetentionDays: 35,
    geoRedundantBackup: true,
    maintenanceWindow: { dayOfWeek: 0, startHour: 3, startMinute: 0 },
  },
  admin: {
    sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBiZ7TzlSNdoKL7tb6ooUO+B1EM4aXMJlKvM1TR2grK replace-me", // REPLACE
  },
  keyVault: {
    // Fixed egress range of the deploying CI runners (the vault denies everything else).
    allowedCidrs: ["203.0.113.0/28"], // REPLACE
  },
  alerts: { email: "analytics-oncall@contoso.com" }, // REPLACE
  tags: { "cost-center": "analytics", owner: "platform-team" },
  backend: {
    type: "azurerm",
    resourceGroupName: "ctso-tfstate-prod", // created by scripts/bootstrap-state.sh
    storageAccountName: "ctsotfstateprod",
    containerName: "tfstate",
  },
};
