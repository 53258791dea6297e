import { Cidr, cidrContains, parseCidr } from "../../config/cidr";
import type { Check } from "../types";
import { readOrProblem } from "../errors";

const KV_NETWORK = "https://learn.microsoft.com/azure/key-vault/general/network-security";

/** The runner's address as a /32, or undefined when it is not an IPv4 address. */
const ipv4 = (text: string): Cidr | undefined => parseCidr(`${text.trim()}/32`);

function contains(cidr: string, ip: Cidr): boolean {
  const c = parseCidr(cidr);
  return c !== undefined && cidrContains(c, ip);
}

/**
 * Terraform on the runner writes and refreshes the vault's secrets through its firewall, which admits only the
 * listed addresses and subnets: any other runner fails with 403 ForbiddenByFirewall.
 */
export const keyVaultRunnerAccess: Check = {
  id: "key-vault-runner-access",
  title: "This runner can reach the Key Vault through its firewall",
  needs: ["egress-ip"],
  sources: [KV_NETWORK, "https://github.com/hashicorp/terraform-provider-azurerm/issues/20742"],
  async run(ctx) {
    const { allowedCidrs, runnerSubnetIds } = ctx.config.keyVault;
    const read = await readOrProblem(
      ctx.egressIp,
      (e) => `cannot learn this runner's public IPv4 address: ${e}; pass it with --egress-ip or PREFLIGHT_EGRESS_IP`,
    );
    if (!read.ok) return read.findings;
    const egress = read.value.trim();
    const ip = ipv4(egress);
    if (ip === undefined) {
      return {
        problems: [
          `this runner's egress address '${egress}' is not an IPv4 address; Key Vault IP rules take IPv4 only (${KV_NETWORK}): give the runner IPv4 egress, or run it in one of keyVault.runnerSubnetIds`,
        ],
      };
    }
    const match = allowedCidrs.find((c) => contains(c, ip));
    if (match) return { problems: [], summary: `egress ${egress} is inside keyVault.allowedCidrs (${match})` };
    if (runnerSubnetIds.length > 0) {
      return {
        problems: [],
        skipped: `egress ${egress} is not in keyVault.allowedCidrs, and keyVault.runnerSubnetIds is set: the runner must run in one of those subnets (${runnerSubnetIds.join(", ")}) with the Microsoft.KeyVault service endpoint; that cannot be seen from here`,
      };
    }
    const listed =
      allowedCidrs.length > 0
        ? `outside keyVault.allowedCidrs (${allowedCidrs.join(", ")})`
        : "not admitted: keyVault.allowedCidrs and keyVault.runnerSubnetIds are empty";
    return {
      problems: [
        `this runner's egress ${egress} is ${listed}, so Terraform would get 403 ForbiddenByFirewall from the vault: add the runners' fixed egress range (or ${egress}/32) to keyVault.allowedCidrs, or run on a self-hosted runner in one of keyVault.runnerSubnetIds (${KV_NETWORK})`,
      ],
    };
  },
};
