import { Testing, TerraformStack } from "cdktf";
import { LogAnalytics } from "../../modules/monitoring/log-analytics";
import { ArchiveHeartbeat, ArchiveHeartbeatProps } from "../../modules/monitoring/archive-heartbeat";

const stack = () => new TerraformStack(Testing.app(), "s");

describe("LogAnalytics retention guard", () => {
  const build = (retentionDays: number) => () =>
    new LogAnalytics(stack(), "l", { name: "law", location: "westeurope", resourceGroupName: "rg", tags: {}, retentionDays });
  test.each([29, 731])("%i days is refused with the value, the range and its source", (days) => {
    expect(build(days)).toThrow(
      new RegExp(`LogAnalytics: retentionDays ${days} must be a whole number of days from 30 to 730.*https://learn\\.microsoft\\.com/`),
    );
  });
  test.each([30, 730])("%i days passes", (days) => expect(build(days)).not.toThrow());
});

describe("ArchiveHeartbeat staleHours guard", () => {
  const props = (staleHours: number): ArchiveHeartbeatProps => ({
    namePrefix: "ctso-matomo",
    location: "westeurope",
    resourceGroupName: "rg",
    virtualMachineId: "vm",
    identityId: "id",
    logAnalyticsWorkspaceId: "law",
    heartbeatTag: "matomo-archive",
    staleHours,
    actionGroupId: "ag",
    tags: {},
  });
  test.each([1, 7, 2.5])("%s hours is refused with the value and the config field", (hours) => {
    expect(() => new ArchiveHeartbeat(stack(), "h", props(hours))).toThrow(
      new RegExp(`staleHours ${hours} must be a whole number from 2 to 6: .*PT6H.*set alerts\\.archiveStaleHours`),
    );
  });
  test.each([2, 6])("%i hours passes", (hours) => expect(() => new ArchiveHeartbeat(stack(), "h", props(hours))).not.toThrow());
});
