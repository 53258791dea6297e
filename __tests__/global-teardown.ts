import * as fs from "fs";

export default function globalTeardown(): void {
  const dir = process.env.MATOMO_TEST_SYNTH_CACHE;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
