import { Testing, TerraformStack } from "cdktf";
import { FrontendScaleSet, FrontendScaleSetProps } from "../../modules/frontend/frontend-scale-set";

const props = (over: Partial<FrontendScaleSetProps>): FrontendScaleSetProps => ({
  name: "ctso-matomo-weu-vmss",
  location: "westeurope",
  resourceGroupName: "rg",
  tags: {},
  adminUsername: "matomoadmin",
  sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGuardsTestKeyGuardsTestKeyGuardsTestKey",
  identityId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
  cloudInit: "#cloud-config\n",
  vmSku: "Standard_D2ads_v5",
  zones: ["1", "2"],
  minInstances: 2,
  maxInstances: 4,
  scaleOutCpuPercent: 70,
  scaleInCpuPercent: 30,
  subnetId: "subnet",
  backendPoolId: "pool",
  egressDependencies: [],
  ...over,
});
const build = (over: Partial<FrontendScaleSetProps>) => () => new FrontendScaleSet(new TerraformStack(Testing.app(), "s"), "f", props(over));

describe("FrontendScaleSet guards", () => {
  test("one zone is refused with the zones and the fix; two zones pass", () => {
    expect(build({ zones: ["1"] })).toThrow(/ctso-matomo-weu-vmss: zones \[1\] must list at least two zones .*\(config: regions\.<key>\.zones\)/);
    expect(build({ zones: ["1", "2"] })).not.toThrow();
  });
  test("minInstances below 2 is refused with the value; 2 passes", () => {
    expect(build({ minInstances: 1 })).toThrow(/minInstances 1 is below the HA floor of 2; set it to 2 or more/);
    expect(build({ minInstances: 2, maxInstances: 2 })).not.toThrow();
  });
  test("maxInstances below minInstances is refused with both values; equal passes", () => {
    expect(build({ minInstances: 3, maxInstances: 2 })).toThrow(/maxInstances 2 is below minInstances 3; raise maxInstances or lower minInstances/);
    expect(build({ minInstances: 3, maxInstances: 3 })).not.toThrow();
  });
});
