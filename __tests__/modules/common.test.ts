import * as path from "path";
import { sourceFile } from "../../modules/common/source-file";
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

describe("sourceFile: files shipped beside a module's sources", () => {
  const root = path.resolve(__dirname, "..", "..");
  test("finds a script from the compiled location through the source tree", () => {
    const compiled = path.join(root, "dist", "modules", "key-vault");
    expect(sourceFile(compiled, "modules/key-vault", "await-data-plane.sh")).toBe(path.join(root, "modules", "key-vault", "await-data-plane.sh"));
  });
  test("a missing file names where it looked", () => {
    expect(() => sourceFile(__dirname, "modules/key-vault", "nope.sh")).toThrow(/modules\/key-vault: nope\.sh not found \(looked in .*nope\.sh, .*nope\.sh\)/);
  });
});
