import { Testing, TerraformStack } from "cdktf";
import { NfsShare } from "../../modules/shared-files/nfs-share";

const build = (quotaGiB: number) => () =>
  new NfsShare(new TerraformStack(Testing.app(), "s"), "share", {
    accountName: "ctsomatomoweu",
    location: "westeurope",
    resourceGroupName: "rg",
    quotaGiB,
    privateEndpointSubnetId: "subnet",
    privateDnsZoneId: "zone",
    logAnalyticsWorkspaceId: "law",
    tags: {},
  });

describe("NfsShare quota guard", () => {
  test.each([99, 102401])("%i GiB is refused with the value, the limits' source and the fix", (quota) => {
    expect(build(quota)).toThrow(
      new RegExp(`quotaGiB ${quota} must be a size from 100 to 102400 GiB.*https://learn\\.microsoft\\.com/.*set quotaGiB in that range`),
    );
  });
  test.each([100, 102400])("%i GiB passes", (quota) => expect(build(quota)).not.toThrow());
});
