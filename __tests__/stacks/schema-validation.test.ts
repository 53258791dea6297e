import { synthAll } from "../helpers";
import { ENVIRONMENTS, loadEnvironment } from "../../config";
import { formatIssues, loadProjectSchemas, validateTerraformJson } from "../../verify/schema/validator";

const schemas = loadProjectSchemas();

describe.each(Object.keys(ENVIRONMENTS))("every synthesized stack of '%s' matches the provider schemas", (env) => {
  const config = loadEnvironment(env);
  const { stacks } = synthAll(config);

  test("all stacks are present", () => {
    const apps = [config.regions.primary, config.regions.secondary].map((r) => `app-${r.shortName}`);
    expect(Object.keys(stacks).sort()).toEqual(["core", "data", "edge", ...apps].sort());
    expect(apps.every((a) => /^app-[a-z]{2,4}$/.test(a))).toBe(true);
  });

  test.each(Object.keys(stacks))("%s: 0 schema errors", (id) => {
    const issues = validateTerraformJson(stacks[id], schemas);
    const errors = issues.filter((i) => i.severity === "error");
    if (errors.length) throw new Error(formatIssues(errors));
    expect(errors).toEqual([]);
  });

  test.each(Object.keys(stacks))("%s: no deprecated arguments", (id) => {
    const warnings = validateTerraformJson(stacks[id], schemas).filter((i) => i.severity === "warning");
    expect(formatIssues(warnings)).toBe(formatIssues([]));
  });
});
