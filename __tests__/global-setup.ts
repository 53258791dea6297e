import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../config";
import { fixtureEnvironment } from "./fixture-environment";
import { synthesizeEnvironment } from "../stacks/synthesize";

/**
 * Synthesizes the example environment once per test run; test files that only
 * read it share this output instead of each paying for a synth. Files that
 * need other configs still synthesize their own.
 */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matomo-example-"));
  synthesizeEnvironment(parseConfig("example", fixtureEnvironment), path.join(dir, "cdktf.out"), undefined, { log: () => undefined });
  process.env.MATOMO_TEST_EXAMPLE_OUT = path.join(dir, "cdktf.out");
}
