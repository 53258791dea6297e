import { Testing, TerraformStack } from "cdktf";
import { MatomoDatabase, MatomoDatabaseProps } from "../../modules/mysql/matomo-database";

// The size table itself is tested in __tests__/config/capacity.test.ts.
const props = (over: Partial<MatomoDatabaseProps>): MatomoDatabaseProps => ({
  resourceGroupName: "rg",
  skuName: "GP_Standard_D2ds_v4",
  version: "8.0.21",
  storageGiB: 64,
  iops: 600,
  primaryZone: "1",
  standbyZone: "2",
  maintenanceWindow: { dayOfWeek: 0, startHour: 2, startMinute: 0 },
  privateDnsZoneId: "zone",
  administratorLogin: "mysqladmin",
  administratorPassword: { value: "ephemeral.reference", version: 1 },
  databaseName: "matomo",
  maxConnections: 100,
  sqlGenerateInvisiblePrimaryKey: "OFF",
  readReplica: false,
  regions: {
    primary: { serverName: "ctso-matomo-weu-mysql", location: "westeurope", delegatedSubnetId: "s1", generation: 1 },
    secondary: { serverName: "ctso-matomo-neu-mysql", location: "northeurope", delegatedSubnetId: "s2", generation: 1 },
  },
  logAnalyticsWorkspaceId: "law",
  tags: {},
  ...over,
});
const build = (over: Partial<MatomoDatabaseProps>) => () => new MatomoDatabase(new TerraformStack(Testing.app(), "s"), "db", props(over));

describe("MatomoDatabase zone guard", () => {
  test("a standby in the primary's zone is refused with the zone and the config field", () => {
    expect(build({ primaryZone: "2", standbyZone: "2" })).toThrow(
      /standbyZone '2' equals primaryZone; zone-redundant HA needs two zones: set mysql\.standbyZone to another zone/,
    );
  });
  test("a standby in another zone passes", () => expect(build({ primaryZone: "2", standbyZone: "3" })).not.toThrow());
});

describe("MatomoDatabase refuses a max_connections Azure would reject", () => {
  test("above the size's maximum: error naming both numbers and the source", () => {
    expect(build({ skuName: "GP_Standard_D2ds_v4", maxConnections: 1366 })).toThrow(
      /1366 exceeds Azure's maximum of 1365 on GP_Standard_D2ds_v4 .*concepts-server-parameters/,
    );
  });
  test("at the maximum: accepted", () => {
    expect(build({ skuName: "GP_Standard_D2ds_v4", maxConnections: 1365 })).not.toThrow();
  });
});

describe("MatomoDatabase skuName guard", () => {
  test("a size outside the table (Burstable has no zone-redundant HA) is refused with the size and the table", () => {
    expect(build({ skuName: "B_Standard_B2s" })).toThrow(
      /skuName 'B_Standard_B2s' is not a General Purpose or Business Critical size in config\/capacity\.ts; zone-redundant HA is unavailable on Burstable/,
    );
  });
  test("a size in the table passes", () => expect(build({ skuName: "MO_Standard_E4ds_v4" })).not.toThrow());
});
