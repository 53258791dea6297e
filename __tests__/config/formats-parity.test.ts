import { ConfigError, parseConfig } from "../../config";
import { MatomoHostSettings, MatomoSettingsError, resolveSettings } from "../../modules/cloud-init/settings";
import { ARCHIVER_SETTINGS } from "../cloud-init/fixture";
import { exampleInput } from "../helpers";

/** Where the config takes the value, and where the cloud-init settings take it. */
interface SharedFormat {
  readonly configField: string;
  readonly toConfig: (c: any, v: string) => void;
  readonly settingsField: string;
  readonly toSettings: (s: MatomoHostSettings, v: string) => MatomoHostSettings;
  readonly good: readonly string[];
  readonly bad: readonly string[];
}

const FORMATS: Record<string, SharedFormat> = {
  "host name": {
    configField: "matomo.extraTrustedHosts[0]",
    toConfig: (c, v) => (c.matomo.extraTrustedHosts = [v]),
    settingsField: "trustedHosts.0",
    toSettings: (s, v) => ({ ...s, trustedHosts: [v] }),
    good: ["stats.example.com", "a.bc", "x-1.example.co.uk", `${"a".repeat(63)}.example.com`],
    bad: [
      "Stats.example.com",
      "localhost",
      "stats.example.com.",
      "-a.example.com",
      "a-.example.com",
      "stats.example.c0m",
      `${"a".repeat(64)}.example.com`,
      "stats_1.example.com",
      "ab.c",
    ],
  },
  "Matomo version": {
    configField: "matomo.version",
    toConfig: (c, v) => (c.matomo.version = v),
    settingsField: "matomoVersion",
    toSettings: (s, v) => ({ ...s, matomoVersion: v }),
    good: ["5.1.2", "5.2.0", "5.10.0", "5.100.999"],
    bad: ["5.1.1", "5.0.3", "4.16.0", "6.0.0", "v5.10.0", "5.10", "5.10.0-b1", "5.01.2", "5.1000.0", " 5.10.0"],
  },
  "Super User login": {
    configField: "matomo.superUserLogin",
    toConfig: (c, v) => (c.matomo.superUserLogin = v),
    settingsField: "superUser.login",
    toSettings: (s, v) => ({ ...s, superUser: { ...s.superUser!, login: v } }),
    good: ["abc", "super.user", "ops@example.com", "a_b-c", "x".repeat(100)],
    bad: ["ab", "x".repeat(101), "super user", "root;", "ops+1", "Jürgen", "$(id)"],
  },
  "e-mail": {
    configField: "matomo.superUserEmail",
    toConfig: (c, v) => (c.matomo.superUserEmail = v),
    settingsField: "superUser.email",
    toSettings: (s, v) => ({ ...s, superUser: { ...s.superUser!, email: v } }),
    good: ["ops@example.com", "first.last+tag@sub.example.org"],
    bad: ["ops", "ops@example", "@example.com", "ops@@example.com", "o ps@example.com", "o'ps@example.com", 'o"ps@example.com', "o\\ps@example.com"],
  },
  "site URL": {
    configField: "matomo.siteUrl",
    toConfig: (c, v) => (c.matomo.siteUrl = v),
    settingsField: "site.url",
    toSettings: (s, v) => ({ ...s, site: { ...s.site!, url: v } }),
    good: ["https://www.example.com", "https://shop.example.com/path?q=1#top"],
    bad: [
      "http://www.example.com",
      "www.example.com",
      "https://",
      "https://a b.com",
      "https://example.com/'x",
      "https://example.com/<script>",
      "ftp://example.com",
    ],
  },
  "time zone": {
    configField: "matomo.timezone",
    toConfig: (c, v) => (c.matomo.timezone = v),
    settingsField: "timezone",
    toSettings: (s, v) => ({ ...s, timezone: v }),
    good: ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5"],
    bad: ["", "Europe/Nowhere", "CET; rm -rf /", "UTC+25", "Mars/Olympus"],
  },
};

/** The fields the config refuses for this value; [] if accepted. */
function configRefuses(f: SharedFormat, value: string): string[] {
  const input = exampleInput();
  f.toConfig(input, value);
  try {
    parseConfig("formats", input);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [...new Set(err.problems.map((p) => p.field))];
  }
}

/** The problems the cloud-init settings report for this value; [] if accepted. */
function settingsRefuse(f: SharedFormat, value: string): readonly string[] {
  try {
    resolveSettings(f.toSettings(ARCHIVER_SETTINGS, value), "archiver");
    return [];
  } catch (err) {
    if (!(err instanceof MatomoSettingsError)) throw err;
    return err.problems;
  }
}

describe.each(Object.entries(FORMATS))("%s: config and cloud-init settings agree", (_name, f) => {
  test.each(f.good)("both accept %j", (value) => {
    expect(configRefuses(f, value)).toEqual([]);
    expect(settingsRefuse(f, value)).toEqual([]);
  });
  test.each(f.bad)("both refuse %j, each naming its field", (value) => {
    expect(configRefuses(f, value)).toEqual([f.configField]);
    const problems = settingsRefuse(f, value);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.startsWith(`${f.settingsField}: `)).toBe(true);
  });
});
