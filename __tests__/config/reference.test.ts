import * as fs from "fs";
import * as path from "path";
import { configFields, renderConfigReference } from "../../config/reference";

test("docs/config-reference.md is generated from the schema and up to date (run `npm run docs:config`)", () => {
  const committed = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "config-reference.md"), "utf8");
  expect(committed).toBe(renderConfigReference());
});

test("every field is documented with a description", () => {
  const undocumented = configFields().filter((f) => !f.description).map((f) => f.field);
  expect(undocumented).toEqual([]);
});

test("the reference lists the fields a fork edits, with defaults and constraints", () => {
  const byField = Object.fromEntries(configFields().map((f) => [f.field, f]));
  expect(byField["mysql.backupRetentionDays"]).toMatchObject({ default: "`35`", constraint: ">= 30, <= 35", required: false });
  expect(byField["matomo.version"]).toMatchObject({ required: true });
  expect(byField["mysql.skuName"].default).toMatch(/from `size`/);
  expect(Object.keys(byField)).toEqual(expect.arrayContaining(["hostname", "cloudflare.plan", "alerts.email", "backend", "backend.storageAccountName (type \"azurerm\")"]));
});
