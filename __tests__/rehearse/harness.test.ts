import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PATHS, renderArchiverCloudInit, renderFrontendCloudInit } from "../../modules/cloud-init";
import { customDataOf, extractPayload, parseCron, parseEnvFile, payloadFile, PayloadError } from "../../rehearse/payload";
import { viewPath } from "../../rehearse/lab";
import { answer, StandinConfig } from "../../rehearse/standins";
import { parseArgs } from "../../rehearse/main";
import { fingerprintsOf } from "../../rehearse/release";
import { rate } from "../../rehearse/capacity";
import { Report } from "../../rehearse/report";
import { cpuSeconds } from "../../rehearse/matomo";
import { ARCHIVER_SETTINGS, FRONTEND_SETTINGS } from "../cloud-init/fixture";

const frontend = renderFrontendCloudInit(FRONTEND_SETTINGS);

describe("payload extraction (the rehearsal runs what cloud-init would)", () => {
  test("write_files, runcmd and packages of a rendered frontend and archiver", () => {
    const p = extractPayload(frontend);
    expect(p.runcmd).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "matomo-provision.service"],
      ["systemctl", "start", "matomo-provision.service"],
    ]);
    expect(p.packages).toContain("nginx");
    expect(payloadFile(p, `${PATHS.libDir}/provision.sh`).permissions).toBe("0755");
    expect(payloadFile(p, PATHS.envFile).content).toContain("MATOMO_ROLE='frontend'");
    const a = extractPayload(renderArchiverCloudInit(ARCHIVER_SETTINGS));
    expect(a.files.map((f) => f.path)).toContain(`${PATHS.libDir}/setup.php`);
  });

  test("refuses what it cannot run faithfully", () => {
    expect(() => extractPayload("write_files: []\n")).toThrow(/#cloud-config/);
    expect(() => extractPayload("#cloud-config\nruncmd: []\n")).toThrow(/no write_files/);
    expect(() => extractPayload("#cloud-config\nwrite_files:\n  - path: /a\n    encoding: gz+b64\n    content: x\nruncmd: []\n")).toThrow(/encoding 'gz\+b64'/);
    expect(() => extractPayload("#cloud-config\nwrite_files:\n  - path: /a\n    permissions: '777'\n    content: x\nruncmd: []\n")).toThrow(
      /permissions must be octal/,
    );
    expect(() => extractPayload("#cloud-config\nwrite_files:\n  - path: rel\n    content: x\nruncmd: []\n")).toThrow(/absolute path/);
    expect(() => extractPayload("#cloud-config\nwrite_files:\n  - path: /a\n    content: x\nruncmd: [[1]]\n")).toThrow(/runcmd/);
    expect(() => payloadFile(extractPayload(frontend), "/nope")).toThrow(PayloadError);
  });

  test("env file and cron file of the payload parse; malformed lines are named", () => {
    const p = extractPayload(frontend);
    const env = parseEnvFile(payloadFile(p, PATHS.envFile).content);
    expect(env.MATOMO_DB_HOST).toBe(FRONTEND_SETTINGS.database.host);
    expect(parseEnvFile("A='it'\\''s'\n")).toEqual({ A: "it's" });
    expect(() => parseEnvFile("A=unquoted\n")).toThrow(/A=unquoted/);
    const jobs = parseCron(payloadFile(p, PATHS.cronFile).content);
    expect(jobs.map((j) => j.user)).toEqual(["www-data", "www-data", "root", "root"]);
    expect(jobs[0].command).toMatch(/^flock -n \S+ \S+job\.sh custom-js$/);
    expect(() => parseCron("* * * *\n")).toThrow(/no schedule/);
  });

  test("custom data is decoded from exactly one resource", () => {
    const b64 = Buffer.from(frontend).toString("base64");
    const res = (p: string) => ({ custom_data: b64, "//": { metadata: { path: p } } });
    const stack = { resource: { vmss: { a: res("app/Frontends/Resource"), b: res("app/Other/Resource") } } };
    expect(customDataOf(stack, "vmss", "Frontends/Resource")).toBe(frontend);
    expect(() =>
      customDataOf({ resource: { vmss: { a: res("x/Frontends/Resource"), b: res("y/Frontends/Resource") } } }, "vmss", "Frontends/Resource"),
    ).toThrow(/found 2/);
    expect(() =>
      customDataOf({ resource: { vmss: { a: { ...res("x/Frontends/Resource"), custom_data: "${base64encode(x)}" } } } }, "vmss", "Frontends/Resource"),
    ).toThrow(/not plain base64/);
  });
});

describe("host view", () => {
  test("payload paths land in the host's own directories; others are refused", () => {
    expect(viewPath("/h", "/etc/nginx/sites-available/matomo.conf")).toBe("/h/etc/nginx/sites-available/matomo.conf");
    expect(viewPath("/h", "/usr/local/lib/matomo/lib.sh")).toBe("/h/usr-local-lib-matomo/lib.sh");
    expect(viewPath("/h", "/run/matomo/ready")).toBe("/h/run/matomo/ready");
    expect(() => viewPath("/h", "/usr/bin/php")).toThrow(/outside the rehearsal host's view/);
    expect(() => viewPath("/h", "/etcetera")).toThrow(/outside/);
    // Every file of both payloads has a place in the view.
    for (const f of [...extractPayload(frontend).files, ...extractPayload(renderArchiverCloudInit(ARCHIVER_SETTINGS)).files]) {
      expect(() => viewPath("/h", f.path)).not.toThrow();
    }
  });
});

describe("stand-ins", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "standins-"));
  fs.writeFileSync(path.join(dir, "db-password"), "s3cret-value-0123456789");
  fs.writeFileSync(path.join(dir, "ips.json"), '{"success":true}');
  fs.writeFileSync(path.join(dir, "matomo-5.1.2.tar.gz"), "tar");
  const cfg: StandinConfig = { cert: "", key: "", token: "tok", secretsDir: dir, releaseDir: dir, cloudflareIpsFile: path.join(dir, "ips.json"), logFile: "" };
  const ask = (host: string, url: string, headers: Record<string, string> = {}) => answer(cfg, "GET", host, url, headers);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("instance metadata: token only with the Metadata header and the vault resource", () => {
    const url = "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net";
    expect(ask("169.254.169.254", url).status).toBe(400);
    expect(ask("169.254.169.254", url.replace("vault.azure.net", "management.azure.com"), { metadata: "true" }).status).toBe(400);
    const ok = ask("169.254.169.254", url, { metadata: "true" });
    expect(ok.status).toBe(200);
    expect(JSON.parse(String(ok.body)).access_token).toBe("tok");
  });

  test("Key Vault: bearer token required, unknown secret 404, known secret's value", () => {
    expect(ask("kv.vault.azure.net", "/secrets/db-password?api-version=7.4").status).toBe(401);
    expect(ask("kv.vault.azure.net", "/secrets/missing?api-version=7.4", { authorization: "Bearer tok" }).status).toBe(404);
    expect(ask("kv.vault.azure.net", "/secrets/db-password", { authorization: "Bearer tok" }).status).toBe(400);
    const ok = ask("kv.vault.azure.net", "/secrets/db-password?api-version=7.4", { authorization: "Bearer tok" });
    expect(JSON.parse(String(ok.body)).value).toBe("s3cret-value-0123456789");
  });

  test("Cloudflare ranges, release files, signing key; unknown hosts get 421", () => {
    expect(ask("api.cloudflare.com", "/client/v4/ips").status).toBe(200);
    expect(ask("api.cloudflare.com", "/client/v4/zones").status).toBe(404);
    expect(ask("builds.matomo.org", "/matomo-5.1.2.tar.gz").status).toBe(200);
    expect(ask("builds.matomo.org", "/matomo-9.9.9.tar.gz").status).toBe(404);
    expect(ask("keyserver.ubuntu.com", "/pks/lookup?op=get").status).toBe(404);
    expect(ask("example.org", "/").status).toBe(421);
    expect(answer(cfg, "POST", "api.cloudflare.com", "/client/v4/ips", {}).status).toBe(405);
  });
});

describe("command line and small helpers", () => {
  test("options: defaults, and every misuse says which option and how to fix it", () => {
    expect(parseArgs([])).toEqual({ keep: false, capacitySeconds: 10 });
    expect(() => parseArgs(["--release", "/x.tar.gz"])).toThrow(/--release and --release-key go together/);
    expect(() => parseArgs(["--release"])).toThrow(/--release needs a value/);
    expect(() => parseArgs(["--frobnicate"])).toThrow(/unknown option --frobnicate/);
    expect(() => parseArgs(["--capacity-seconds", "0"])).toThrow(/--capacity-seconds must be an integer from 1 to 120 \(got 0\)/);
    expect(() => parseArgs(["--release", "/nonexistent.tar.gz", "--release-key", "/nonexistent.asc"])).toThrow(/--release \/nonexistent.tar.gz: no such file/);
  });

  test("primary-key fingerprints from gpg's colon listing (subkeys ignored)", () => {
    const colons = [
      "pub:u:255:22:AAAA:1:::u:::scSC::::::23::0:",
      "fpr:::::::::1111222233334444555566667777888899990000:",
      "sub:u:255:18:BBBB:1::::::e::::::23:",
      "fpr:::::::::FFFF222233334444555566667777888899990000:",
    ].join("\n");
    expect(fingerprintsOf(colons)).toEqual(["1111222233334444555566667777888899990000"]);
    expect(fingerprintsOf("")).toEqual([]);
  });

  test("CPU seconds from /proc/<pid>/stat: own and reaped children's user and system time", () => {
    const stat = (comm: string, u: number, s: number, cu: number, cs: number) =>
      `42 (${comm}) S 1 42 42 0 -1 4194560 100 0 0 0 ${u} ${s} ${cu} ${cs} 20 0 1 0 100 1000 10`;
    expect(cpuSeconds([stat("php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)", 100, 50, 300, 50), stat("nginx", 10, 10, 0, 0)], 100)).toBe(5.2);
    expect(cpuSeconds([], 100)).toBe(0);
  });

  test("rate and the result table", () => {
    expect(rate(500, 2000)).toBe(250);
    expect(rate(5, 0)).toBe(0);
    const out = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    const rep = new Report();
    expect(rep.check("passes", () => "fine")).toBe(true);
    expect(
      rep.check("fails", () => {
        throw new Error("broken");
      }),
    ).toBe(false);
    rep.skip("skipped", "why");
    out.mockRestore();
    expect(rep.failed).toBe(1);
    expect(rep.table()).toMatch(/passes\s+PASS.*fine/);
    expect(rep.table()).toMatch(/fails\s+FAIL.*broken/);
    expect(rep.table()).toMatch(/1 passed, 1 failed, 1 skipped/);
  });
});
