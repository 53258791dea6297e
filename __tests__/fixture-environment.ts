import { BlueprintConfigInput } from "../config";

/**
 * The environment the tests pin values against: a frozen copy of the example
 * environment as it shipped. Forks edit config/environments/ freely (regions,
 * sizes, names) and the tests still pass, because what they pin lives here.
 */
export const fixtureEnvironment: BlueprintConfigInput = {
  org: "ctso",
  name: "matomo",
  environment: "ex",
  azure: {
    subscriptionId: "00000000-0000-0000-0000-000000000000",
    tenantId: "00000000-0000-0000-0000-000000000000",
  },
  regions: {
    primary: {
      location: "westeurope",
      shortName: "weu",
      addressSpace: "10.20.0.0/20",
      zones: ["1", "2", "3"],
      cloudflareCheckRegions: ["WEU"],
      latitude: 52.37,
      longitude: 4.9,
    },
    secondary: {
      location: "northeurope",
      shortName: "neu",
      addressSpace: "10.30.0.0/20",
      zones: ["1", "2", "3"],
      cloudflareCheckRegions: ["WEU", "EEU"],
      latitude: 53.35,
      longitude: -6.26,
    },
  },
  hostname: "analytics.example.com",
  cloudflare: {
    accountId: "0123456789abcdef0123456789abcdef",
    zoneId: "fedcba9876543210fedcba9876543210",
    zoneName: "example.com",
    plan: "pro",
    steeringPolicy: "failover",
  },
  matomo: {
    version: "5.10.0",
    superUserEmail: "analytics-admins@example.com",
    siteUrl: "https://www.example.com",
    siteName: "Example",
  },
  size: "small",
  frontends: { primaryMinInstances: 3, secondaryMinInstances: 3 },
  admin: {
    sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBiZ7TzlSNdoKL7tb6ooUO+B1EM4aXMJlKvM1TR2grK example-break-glass",
  },
  alerts: { email: "oncall@example.com" },
  tags: { "cost-center": "analytics" },
  backend: { type: "local" },
};
