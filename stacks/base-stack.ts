import { Construct } from "constructs";
import { AzurermBackend, LocalBackend, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { BlueprintConfig } from "../config";
import { Naming } from "../modules/common/naming";
import { standardTags } from "../modules/common/tags";
import { EnvironmentFacts, environmentFacts } from "./facts";

export interface BlueprintStackProps {
  /** The validated environment config. */
  readonly config: BlueprintConfig;
}

/**
 * Common ground of every stack: the backend chosen by `config.backend` (state
 * key `<environment>/<stack>.tfstate`), the azurerm provider pinned to the
 * config's subscription, naming and tags. Credentials come from the
 * provider's own environment variables, never from config.
 */
export abstract class BlueprintStack extends TerraformStack {
  readonly config: BlueprintConfig;
  readonly naming: Naming;
  /** Derived once per config (stacks/facts.ts) and shared by every stack. */
  readonly facts: EnvironmentFacts;
  readonly tags: Record<string, string>;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;
    this.naming = new Naming(config);
    this.facts = environmentFacts(config);
    this.tags = standardTags(config);

    if (config.backend.type === "azurerm") {
      new AzurermBackend(this, {
        resourceGroupName: config.backend.resourceGroupName,
        storageAccountName: config.backend.storageAccountName,
        containerName: config.backend.containerName,
        key: `${config.environment}/${id}.tfstate`,
        subscriptionId: config.azure.subscriptionId,
        tenantId: config.azure.tenantId,
        useAzureadAuth: true,
      });
    } else {
      // Relative to cdktf.out/stacks/<id>: state survives re-synths and the path is machine-independent.
      new LocalBackend(this, { path: `../../../terraform-state/${config.environment}/${id}.tfstate` });
    }

    new AzurermProvider(this, "azurerm", {
      features: [
        {
          keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
        },
      ],
      subscriptionId: config.azure.subscriptionId,
      tenantId: config.azure.tenantId,
      storageUseAzuread: true,
    });
  }
}
