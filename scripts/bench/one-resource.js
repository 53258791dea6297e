// The baseline of the synth benchmark: the smallest useful cdktf app (one stack, one resource).
const { App, TerraformStack } = require("cdktf");
const { AzurermProvider } = require("@cdktf/provider-azurerm/lib/provider");
const { ResourceGroup } = require("@cdktf/provider-azurerm/lib/resource-group");

const app = new App({ outdir: process.argv[2] ?? process.env.CDKTF_OUTDIR ?? "cdktf.out" });
const stack = new TerraformStack(app, "one");
new AzurermProvider(stack, "azurerm", { features: [{}], subscriptionId: "00000000-0000-0000-0000-000000000000" });
new ResourceGroup(stack, "rg", { name: "rg", location: "westeurope" });
app.synth();
