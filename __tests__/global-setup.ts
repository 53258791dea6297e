import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * One folder per test run where test files share synth output by config
 * (`synthAll` in helpers.ts): the example fixture and each variant several
 * files read are synthesized once, by whichever worker asks first.
 */
export default function globalSetup(): void {
  process.env.MATOMO_TEST_SYNTH_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "matomo-test-synths-"));
}
