import { Testing, TerraformStack } from "cdktf";
import { PrivateDns } from "../../modules/network/private-dns";
import { RegionalNetwork } from "../../modules/network/regional-network";
import { planSubnets } from "../../modules/network/subnet-plan";

describe("PrivateDns zone name guard", () => {
  // The guard runs before the networks are read.
  const build = (mysqlZoneName: string) => () =>
    new PrivateDns(new TerraformStack(Testing.app(), "s"), "dns", {
      resourceGroupName: "rg",
      mysqlZoneName,
      networks: { primary: fakeNetwork("weu"), secondary: fakeNetwork("neu") },
      tags: {},
    });
  const fakeNetwork = (name: string) => ({ vnet: { name, id: `${name}-id` } }) as unknown as RegionalNetwork;
  test("a zone outside mysql.database.azure.com is refused with the value, the source and an example", () => {
    expect(build("privatelink.mysql.example.com")).toThrow(
      /mysqlZoneName 'privatelink\.mysql\.example\.com' must end in '\.mysql\.database\.azure\.com' .*https:\/\/learn\.microsoft\.com\/.*e\.g\. 'privatelink\.mysql\.database\.azure\.com'/,
    );
    // The suffix alone, without its leading dot, is not enough.
    expect(build("xmysql.database.azure.com")).toThrow(/must end in/);
  });
  test("a zone ending in .mysql.database.azure.com passes", () => {
    expect(build("privatelink.mysql.database.azure.com")).not.toThrow();
  });
});

describe("subnet plan guard", () => {
  test.each(["10.20.0.0", "10.20.0.5/20", "10.300.0.0/20", ""])("'%s' is refused with the value and an example", (space) => {
    expect(() => planSubnets(space)).toThrow(
      `addressSpace '${space}' is not an IPv4 network in CIDR form; use e.g. '10.20.0.0/20' (config: regions.<key>.addressSpace)`,
    );
  });
  test("a CIDR is carved into the four subnets", () => {
    expect(planSubnets("10.20.0.0/20")).toEqual({
      frontends: "10.20.0.0/22",
      archiver: "10.20.4.0/24",
      mysql: "10.20.5.0/24",
      privateEndpoints: "10.20.6.0/24",
    });
  });
});
