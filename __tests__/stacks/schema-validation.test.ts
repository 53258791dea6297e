import { exampleConfig, synthAll } from "../helpers";
import { ENVIRONMENTS, loadEnvironment } from "../../config";
import { formatIssues, loadProjectSchemas, validateTerraformJson } from "../../verify/schema/validator";

const schemas = loadProjectSchemas();

describe.each(Object.keys(ENVIRONMENTS))("every synthesized stack of '%s' matches the provider schemas", (env) => {
  const { stacks } = synthAll(env === "example" ? exampleConfig() : loadEnvironment(env));

  test("all stacks are present", () => {
    expect(Object.keys(stacks).sort()).toEqual(["app-neu", "app-weu", "core", "data", "edge"]);
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
