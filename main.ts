import { ConfigError, loadEnvironment } from "./config";
import { synthesizeEnvironment } from "./stacks/synthesize";

// The only place that reads the environment: everything below gets plain props.
const environment = process.env.MATOMO_ENV ?? "example";
const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
// Set only when the cdktf CLI runs the app; the CLI then cleans up stack folders itself.
const underCli = process.env.CDKTF_OUTDIR !== undefined;
// Policy errors must fail the run, even though the cdktf CLI asks apps to continue.
delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;

try {
  synthesizeEnvironment(loadEnvironment(environment), outdir, undefined, { cliRemovesOrphanedStacks: underCli });
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err));
  process.exit(1);
}
