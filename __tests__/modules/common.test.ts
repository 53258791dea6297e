import { Testing, TerraformStack } from "cdktf";
import { Diagnostics, DiagnosticsProps } from "../../modules/common/diagnostics";

const build = (over: Partial<DiagnosticsProps>) => () =>
  new Diagnostics(new TerraformStack(Testing.app(), "s"), "diag", { targetResourceId: "target", logAnalyticsWorkspaceId: "law", ...over });

describe("Diagnostics guard", () => {
  test("logs on a storage account (which has none) are refused with the group and the fix", () => {
    expect(build({ targetKind: "azurerm_storage_account" })).toThrow(
      /s\/diag: azurerm_storage_account has no log categories, so logCategoryGroup 'allLogs' would be rejected by Azure; set logCategoryGroup: null/,
    );
    expect(build({ targetKind: "azurerm_storage_account", logCategoryGroup: "audit" })).toThrow(/logCategoryGroup 'audit'/);
  });
  test("a storage account without logs, and its file service with logs, pass", () => {
    expect(build({ targetKind: "azurerm_storage_account", logCategoryGroup: null })).not.toThrow();
    expect(build({ targetKind: "azurerm_storage_account/fileServices/default" })).not.toThrow();
  });
});
