import { Testing, TerraformStack } from "cdktf";
import { MatomoDatabase, MatomoDatabaseProps } from "../../modules/mysql/matomo-database";

// The sku and max_connections guards are covered in __tests__/config/capacity.test.ts.
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
