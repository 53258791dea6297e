import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { exampleConfig, TfJson, exampleSynth } from "../helpers";
import { CoreStack } from "../../stacks/core-stack";
import { DataStack } from "../../stacks/data-stack";

/**
 * Construct paths and logical IDs of stateful resources are a contract: a
 * change would make Terraform destroy and recreate the database, the shares,
 * the vault or the secrets. If this test fails, do not update it: add a
 * `moveTo`/`moved` migration and a CHANGELOG entry first (docs/adr/0002-stacks-and-construct-ids.md).
 */
const PINNED: Record<string, Record<string, Record<string, string>>> = {
  core: {
    azurerm_key_vault: { "core/KeyVault/Resource": "KeyVault_EBBC7C6F" },
    azurerm_resource_group: {
      "core/SharedResourceGroup": "SharedResourceGroup",
      "core/Network-primary/ResourceGroup": "Network-primary_ResourceGroup_66086466",
      "core/Network-secondary/ResourceGroup": "Network-secondary_ResourceGroup_3D6CDD44",
    },
    azurerm_user_assigned_identity: {
      "core/ArchiverIdentity/Resource": "ArchiverIdentity_E7C571E7",
      "core/FrontendIdentity-primary/Resource": "FrontendIdentity-primary_D5D17183",
      "core/FrontendIdentity-secondary/Resource": "FrontendIdentity-secondary_845DAECB",
    },
    azurerm_public_ip: {
      "core/Network-primary/InboundPublicIp": "Network-primary_InboundPublicIp_D0C39373",
      "core/Network-secondary/InboundPublicIp": "Network-secondary_InboundPublicIp_AA651714",
      "core/Network-primary/EgressPublicIp": "Network-primary_EgressPublicIp_AEE2F644",
      "core/Network-secondary/EgressPublicIp": "Network-secondary_EgressPublicIp_7C11DC5A",
    },
  },
  data: {
    azurerm_mysql_flexible_server: {
      "data/Mysql/Server": "Mysql_Server_B86F5DD5",
      "data/Mysql/Replica": "Mysql_Replica_88B6A1C7",
    },
    azurerm_mysql_flexible_database: { "data/Mysql/Database": "Mysql_Database_495C8032" },
    azurerm_storage_account: {
      "data/Files-primary/Account": "Files-primary_Account_207514FD",
      "data/Files-secondary/Account": "Files-secondary_Account_3D08610D",
    },
    azurerm_storage_share: {
      "data/Files-primary/Share": "Files-primary_Share_0C4487FF",
      "data/Files-secondary/Share": "Files-secondary_Share_81001426",
    },
    // random_password resources became ephemeral (CHANGELOG, Unreleased): `removed` blocks forget them.
    azurerm_key_vault_secret: {
      "data/Secrets/MysqlAdminPassword/Resource": "Secrets_MysqlAdminPassword_C7FD8A28",
      "data/Secrets/MatomoDbPassword/Resource": "Secrets_MatomoDbPassword_A5A1B36A",
      "data/Secrets/MatomoSalt/Resource": "Secrets_MatomoSalt_7A235148",
      "data/Secrets/SuperUserPassword/Resource": "Secrets_SuperUserPassword_96DC90AD",
    },
  },
};

function idsByPath(stack: TfJson, type: string): Record<string, string> {
  return Object.fromEntries(Object.entries<any>(stack.resource?.[type] ?? {}).map(([id, r]) => [r["//"].metadata.path, id]));
}

describe("stateful construct IDs are pinned", () => {
  let stacks: Record<string, TfJson>;
  beforeAll(() => {
    stacks = exampleSynth().stacks;
  });

  for (const [stackId, types] of Object.entries(PINNED)) {
    for (const [type, expected] of Object.entries(types)) {
      test(`${stackId}: ${type}`, () => {
        expect(idsByPath(stacks[stackId], type)).toEqual(expected);
      });
    }
  }

  test("IDs do not depend on the environment's names or regions", () => {
    const config = exampleConfig((c) => {
      c.org = "acme";
      c.environment = "stg";
      c.regions.primary.shortName = "sec";
      c.regions.secondary.shortName = "gwc";
    });
    // Only the stacks that hold the pinned resources.
    const app = Testing.app();
    new DataStack(app, "data", { config, core: new CoreStack(app, "core", { config }) });
    app.synth();
    const read = (id: string) => JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", id, "cdk.tf.json"), "utf8"));
    const other = { core: read("core"), data: read("data") };
    expect(idsByPath(other.data, "azurerm_mysql_flexible_server")).toEqual(PINNED.data.azurerm_mysql_flexible_server);
    expect(idsByPath(other.core, "azurerm_key_vault")).toEqual(PINNED.core.azurerm_key_vault);
  });
});
