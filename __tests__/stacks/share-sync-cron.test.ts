import { shareSyncIntervalSeconds } from "../../stacks/facts";
import { CRON_JOBS, CronJob } from "../../modules/cloud-init/constants";

const job = (schedule: string): CronJob => ({ ...CRON_JOBS.find((j) => j.name === "share-sync")!, schedule });

describe("share-sync cron parser", () => {
  test.each(["7 * * * *", "*/x * * * *", "*/5"])("schedule '%s' is refused with the value and where to fix it", (schedule) => {
    expect(() => shareSyncIntervalSeconds([job(schedule)])).toThrow(
      `share-sync cron schedule '${schedule}' must run every N minutes: set it to '*/N * * * *' in CRON_JOBS (modules/cloud-init/constants.ts)`,
    );
  });
  test("a missing share-sync job is refused", () => {
    expect(() => shareSyncIntervalSeconds(CRON_JOBS.filter((j) => j.name !== "share-sync"))).toThrow(/'\(no share-sync job\)' must run every N minutes/);
  });
  test("'*/N * * * *' gives N minutes in seconds; the shipped schedule parses", () => {
    expect(shareSyncIntervalSeconds([job("*/7 * * * *")])).toBe(420);
    expect(shareSyncIntervalSeconds()).toBeGreaterThan(0);
  });
});
