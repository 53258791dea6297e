import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { configFields, constraintOf, renderConfigReference } from "../../config/reference";

test("docs/config-reference.md is generated from the schema and up to date (run `npm run docs:config`)", () => {
  const committed = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "config-reference.md"), "utf8");
  expect(committed).toBe(renderConfigReference());
});

test("every field is documented with a description", () => {
  const undocumented = configFields()
    .filter((f) => !f.description)
    .map((f) => f.field);
  expect(undocumented).toEqual([]);
});

test("the reference lists the fields a fork edits, with defaults and constraints", () => {
  const byField = Object.fromEntries(configFields().map((f) => [f.field, f]));
  expect(byField["mysql.backupRetentionDays"]).toMatchObject({ default: "`35`", constraint: ">= 30, <= 35", required: false });
  expect(byField["matomo.version"]).toMatchObject({ required: true });
  expect(byField["mysql.skuName"].default).toMatch(/from `size`/);
  expect(Object.keys(byField)).toEqual(
    expect.arrayContaining(["hostname", "cloudflare.plan", "alerts.email", "backend", 'backend.storageAccountName (type "azurerm")']),
  );
});

test("numbers show their real bounds, and none where zod's safe-integer range is the only limit", () => {
  const byField = Object.fromEntries(configFields().map((f) => [f.field, f]));
  expect(byField["frontends.primaryMinInstances"].constraint).toBe(">= 2");
  expect(byField["frontends.maxInstances"].constraint).toBe(">= 2, <= 100");
  expect(renderConfigReference()).not.toContain(String(Number.MAX_SAFE_INTEGER));
  expect(constraintOf(z.toJSONSchema(z.number().int()) as Record<string, unknown>)).toBe("");
  expect(constraintOf(z.toJSONSchema(z.number().int().min(1).max(5)) as Record<string, unknown>)).toBe(">= 1, <= 5");
});
