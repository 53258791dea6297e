/**
 * Real tools on the rendered artifacts: cloud-init schema, shellcheck, nginx,
 * php, gpg, openssl. Every external run starts when this file loads, in
 * parallel, once per artifact; the tests await the results.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import { MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT, PATHS, RELEASE_KEY_ASSET, renderArchiverCloudInit, renderFrontendCloudInit } from "../../modules/cloud-init";
import { ARCHIVER_SETTINGS, FAKE_SECRET_VALUES, FRONTEND_SETTINGS, RunResult, fileAt, parseCloudConfig, run, tmpDir, tool } from "./fixture";

const cloudInit = tool("cloud-init", "cloud-init");
const shellcheck = tool("shellcheck", "shellcheck");
const nginx = tool("nginx", "nginx");
const php = tool("php", "php-cli");
const openssl = tool("openssl", "openssl");
const gpg = tool("gpg", "gnupg");

const yamls = { frontend: renderFrontendCloudInit(FRONTEND_SETTINGS), archiver: renderArchiverCloudInit(ARCHIVER_SETTINGS) };
const frontend = parseCloudConfig(yamls.frontend);
const archiver = parseCloudConfig(yamls.archiver);
const work = tmpDir("tools");
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const describeResult = (r: RunResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
function write(file: string, content: string, mode = 0o644): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
  return file;
}

// Every script and PHP file of both roles, by basename, in one directory (they source lib.sh from there).
const libDir = path.join(work, "lib");
const scriptFiles = new Map<string, string>();
for (const doc of [frontend, archiver]) {
  for (const f of doc.write_files) {
    if (f.path.startsWith(`${PATHS.libDir}/`) || f.path.endsWith(".php")) scriptFiles.set(path.basename(f.path), f.content);
  }
}
for (const [name, content] of scriptFiles) write(path.join(libDir, name), content, 0o755);
const shellScripts = [...scriptFiles.keys()].filter((n) => n.endsWith(".sh")).sort();
const phpFiles = [...scriptFiles.keys()].filter((n) => n.endsWith(".php")).sort();

// Started now, awaited by the tests.
const schemaRuns = cloudInit.available
  ? Object.fromEntries(
      Object.entries(yamls).map(([role, y]) => [role, run("cloud-init", ["schema", "--config-file", write(path.join(work, `${role}.yaml`), y)])]),
    )
  : {};
const shellcheckRun = shellcheck.available ? run("shellcheck", ["-x", "--severity=style", ...shellScripts], { cwd: libDir }) : undefined;
const phpLintRuns = php.available ? Object.fromEntries(phpFiles.map((n) => [n, run("php", ["-l", path.join(libDir, n)])])) : {};

describe("cloud-init schema", () => {
  for (const role of ["frontend", "archiver"] as const) {
    cloudInit.test(`${role} passes 'cloud-init schema --config-file'${cloudInit.label}`, async () => {
      const r = await schemaRuns[role];
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).toMatch(/Valid cloud-config/);
    });
  }
});

describe("shellcheck", () => {
  shellcheck.test(`every embedded shell script passes (${shellScripts.join(", ")})${shellcheck.label}`, async () => {
    expect(shellScripts).toEqual(
      expect.arrayContaining(["lib.sh", "provision.sh", "release.sh", "job.sh", "maintenance.sh", "share-sync.sh", "cloudflare-ips.sh"]),
    );
    const r = await shellcheckRun!;
    if (r.code !== 0) throw new Error(describeResult(r));
  });
});

describe("php -l", () => {
  for (const name of phpFiles) {
    php.test(`${name} has no syntax errors${php.label}`, async () => {
      const r = await phpLintRuns[name];
      if (r.code !== 0) throw new Error(describeResult(r));
    });
  }
});

/**
 * Lays the frontend's nginx files out under `root`, rewriting absolute paths,
 * and wraps them in the distribution's nginx.conf (so duplicate-directive
 * clashes with Ubuntu's defaults would show).
 */
async function nginxTree(root: string, opts: { listen?: string; docRoot?: string; ca?: string } = {}): Promise<string> {
  const rewrite = (s: string) => {
    let out = s.split("/etc/nginx/").join(`${root}/etc/nginx/`).split("/var/log/nginx/").join(`${root}/log/`);
    // Hermetic: the production FPM sockets may exist on this machine (a Matomo host); point at sockets that never do.
    out = out.split(PATHS.phpSocket).join(`${root}/run/absent-php.sock`).split(PATHS.healthSocket).join(`${root}/run/absent-health.sock`);
    if (opts.docRoot) out = out.split(`root ${PATHS.installDir};`).join(`root ${opts.docRoot};`);
    if (opts.listen) out = out.replace(/listen 443 ssl http2( default_server)?;/g, `listen ${opts.listen} ssl http2$1;`);
    return out;
  };
  for (const f of frontend.write_files) {
    if (f.path.startsWith("/etc/nginx/")) write(rewrite(f.path), rewrite(f.content));
  }
  if (opts.ca) write(rewrite(PATHS.originPullCa), opts.ca);
  for (const d of ["log", "tmp", "etc/nginx/modules-enabled", "etc/nginx/sites-enabled"]) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.symlinkSync("../sites-available/matomo.conf", path.join(root, "etc/nginx/sites-enabled/matomo.conf"));
  for (const f of ["fastcgi_params", "mime.types"]) {
    const system = `/etc/nginx/${f}`;
    write(path.join(root, "etc/nginx", f), fs.existsSync(system) ? fs.readFileSync(system, "utf8") : "");
  }
  const distro = fs.existsSync("/etc/nginx/nginx.conf")
    ? fs.readFileSync("/etc/nginx/nginx.conf", "utf8")
    : "events {}\nhttp {\ninclude /etc/nginx/mime.types;\ninclude /etc/nginx/conf.d/*.conf;\ninclude /etc/nginx/sites-enabled/*;\n}\n";
  write(path.join(root, "etc/nginx/nginx.conf"), rewrite(distro).replace(/^\s*pid .*$/m, `pid ${root}/nginx.pid;`));
  // Temp paths compiled into the distribution's nginx would need root; keep them in the tree.
  write(
    path.join(root, "etc/nginx/conf.d/00-test-paths.conf"),
    ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${root}/tmp/${t};`).join("\n"),
  );
  const tls = path.join(root, "etc/nginx/tls");
  const r = await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "1",
    "-subj",
    `/CN=${FRONTEND_SETTINGS.publicHostname}`,
    "-keyout",
    path.join(tls, "origin.key"),
    "-out",
    path.join(tls, "origin.crt"),
  ]);
  if (r.code !== 0) throw new Error(describeResult(r));
  return path.join(root, "etc/nginx/nginx.conf");
}

const nginxArgs = (root: string, conf: string) => ["-p", `${root}/`, "-c", conf, "-e", `${root}/log/error.log`];

describe("nginx", () => {
  // Needs both tools: report whichever is missing.
  const nginxTest = nginx.available ? openssl.test : nginx.test;
  const label = nginx.label || openssl.label;
  nginxTest(`the rendered configuration passes 'nginx -t'${label}`, async () => {
    const root = path.join(work, "nginx-t");
    const conf = await nginxTree(root);
    const r = await run("nginx", ["-t", ...nginxArgs(root, conf)]);
    if (r.code !== 0) throw new Error(describeResult(r));
  });

  nginxTest(
    `serves only the allowed paths, only with the Authenticated Origin Pulls certificate; health without it only to the platform probes${label}`,
    async () => {
      const root = path.join(work, "nginx-run");
      const pki = path.join(root, "pki");
      fs.mkdirSync(pki, { recursive: true });
      const sh = async (args: string[]) => {
        const r = await run("openssl", args, { cwd: pki });
        if (r.code !== 0) throw new Error(describeResult(r));
      };
      // A stand-in for Cloudflare's origin-pull CA, a client certificate it signs, and one it does not.
      const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
      await Promise.all([
        sh(["req", "-x509", ...ec, "-days", "1", "-subj", "/CN=test origin-pull CA", "-keyout", "ca.key", "-out", "ca.crt"]),
        sh(["req", "-x509", ...ec, "-days", "1", "-subj", "/CN=rogue CA", "-keyout", "rogue.key", "-out", "rogue.crt"]),
        sh(["req", "-new", ...ec, "-subj", "/CN=origin-pull client", "-keyout", "client.key", "-out", "client.csr"]),
      ]);
      await Promise.all([
        sh(["x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", "client.crt"]),
        sh(["x509", "-req", "-in", "client.csr", "-CA", "rogue.crt", "-CAkey", "rogue.key", "-CAcreateserial", "-days", "1", "-out", "rogue-client.crt"]),
      ]);

      const docRoot = path.join(root, "www");
      for (const f of [
        "index.php",
        "matomo.php",
        "piwik.php",
        "js/index.php",
        "matomo.js",
        "core/Foo.php",
        "plugins/Foo/Foo.php",
        "plugins/Morpheus/images/logo.png",
        "misc/user/logo.png",
        "misc/other.txt",
        "config/config.ini.php",
        "tmp/cache.txt",
        "lang/en.json",
        ".git/config",
        "libs/x.txt",
        "vendor/x/y.txt",
      ])
        write(path.join(docRoot, f), "x");
      const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const conf = await nginxTree(root, { listen: `127.0.0.1:${port}`, docRoot, ca: fs.readFileSync(path.join(pki, "ca.crt"), "utf8") });
      // Nothing of the machine's own nginx or PHP-FPM is used: a Matomo host running these tests gets the same answers.
      const site = fs.readFileSync(path.join(root, "etc/nginx/sites-available/matomo.conf"), "utf8");
      expect([site.includes("/run/php/"), site.includes("listen 443")]).toEqual([false, false]);
      // Workers may run as www-data when the test runs as root.
      await run("chmod", ["-R", "a+rX", work]);

      const server: ChildProcess = spawn("nginx", [...nginxArgs(root, conf), "-g", "daemon off;"], { stdio: "ignore" });
      try {
        await waitForPort(port);
        const client = { cert: fs.readFileSync(path.join(pki, "client.crt")), key: fs.readFileSync(path.join(pki, "client.key")) };
        const rogue = { cert: fs.readFileSync(path.join(pki, "rogue-client.crt")), key: fs.readFileSync(path.join(pki, "client.key")) };
        const get = (p: string, id?: { cert: Buffer; key: Buffer }) => request(port, p, id);
        const bad = 502; // FastCGI socket absent in the test: the request reached PHP-FPM's location.

        // On the Matomo host name nothing answers without the certificate, the health path included:
        // the Cloudflare monitor must fail when visitors would.
        for (const p of ["/healthz", "/", "/index.php", "/matomo.php", "/matomo.js", "/plugins/Morpheus/images/logo.png"])
          expect([p, (await get(p)).status]).toEqual([p, 403]);
        // A certificate from another CA is rejected by TLS client verification.
        expect((await get("/index.php", rogue)).status).toBe(400);

        const expected: [string, number][] = [
          ["/index.php", bad],
          ["/matomo.php", bad],
          ["/piwik.php", bad],
          ["/js/index.php", bad],
          ["/healthz", bad],
          ["/core/Foo.php", 403],
          ["/plugins/Foo/Foo.php", 403],
          ["/config/config.ini.php", 403],
          ["/tmp/cache.txt", 403],
          ["/lang/en.json", 403],
          ["/.git/config", 403],
          ["/libs/x.txt", 403],
          ["/vendor/x/y.txt", 403],
          ["/misc/other.txt", 403],
          ["/plugins/Morpheus/images/logo.png", 200],
          ["/misc/user/logo.png", 200],
          ["/matomo.js", 200],
          ["/missing.php", 403],
        ];
        const got: [string, number][] = [];
        for (const [p] of expected) got.push([p, (await get(p, client)).status]);
        expect(got).toEqual(expected);

        // Other host names: the health path without a certificate for the platform probes (loopback here,
        // 168.63.129.16 on Azure), nothing for anyone else (127.0.0.2 stands in for a foreign zone's proxy).
        expect((await request(port, "/healthz", undefined, "10.1.2.3")).status).toBe(bad);
        expect((await request(port, "/index.php", client, "10.1.2.3")).status).toBe(421);
        expect((await request(port, "/healthz", client, "10.1.2.3", "127.0.0.2")).status).toBe(421);
        expect((await request(port, "/healthz", undefined, "evil.example.net", "127.0.0.2")).status).toBe(421);
        expect((await request(port, "/index.php", client, "evil.example.net")).status).toBe(421);

        const res = await get("/matomo.js", client);
        expect(res.headers.server).toBe("nginx");
        expect(res.headers["x-content-type-options"]).toBe("nosniff");
      } finally {
        server.kill("SIGTERM");
        await new Promise((resolve) => server.once("exit", resolve));
      }
    },
  );
});

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}`);
}

function request(
  port: number,
  urlPath: string,
  id?: { cert: Buffer; key: Buffer },
  host = FRONTEND_SETTINGS.publicHostname,
  localAddress = "127.0.0.1",
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        method: "GET",
        servername: /^[0-9.]+$/.test(host) ? "" : host,
        headers: { Host: host },
        rejectUnauthorized: false,
        agent: false,
        timeout: 5000,
        localAddress,
        ...id,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("release signature check (release.sh verify)", () => {
  const label = gpg.label;
  gpg.test(`accepts only a good signature by the pinned key${label}`, async () => {
    const home = path.join(work, "gnupg");
    fs.mkdirSync(home, { mode: 0o700 });
    const env = { ...process.env, GNUPGHOME: home };
    const g = async (args: string[]) => {
      const r = await run("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", ...args], { env, cwd: work });
      if (r.code !== 0) throw new Error(describeResult(r));
      return r.stdout;
    };
    try {
      await g(["--quick-gen-key", "Release Test <release@example.invalid>", "ed25519", "sign", "1d"]);
      await g(["--quick-gen-key", "Other Signer <other@example.invalid>", "ed25519", "sign", "1d"]);
      const fprs = (await g(["--with-colons", "--list-keys"]))
        .split("\n")
        .filter((l) => l.startsWith("fpr:"))
        .map((l) => l.split(":")[9]);
      const [pinned, other] = fprs;
      write(path.join(work, "keys.asc"), await g(["--armor", "--export"]));
      const tarball = write(path.join(work, "matomo-5.10.0.tar.gz"), "pretend release\n");
      await g(["--yes", "--local-user", pinned, "--armor", "--detach-sign", "-o", `${tarball}.asc`, tarball]);
      await g(["--yes", "--local-user", other, "--armor", "--detach-sign", "-o", `${tarball}.other.asc`, tarball]);

      const verify = (fingerprint: string, sig: string, file = tarball) => {
        const envFile = write(
          path.join(work, `release-${fingerprint.slice(0, 8)}.env`),
          [`MATOMO_RELEASE_FINGERPRINT='${fingerprint}'`, `MATOMO_RELEASE_KEY_FILE='${path.join(work, "keys.asc")}'`, "MATOMO_RELEASE_KEY_URLS=''"].join("\n"),
        );
        return run("bash", [path.join(libDir, "release.sh"), "verify", file, sig], { env: { ...process.env, MATOMO_ENV_FILE: envFile } });
      };
      const good = await verify(pinned, `${tarball}.asc`);
      expect([good.code, good.stderr]).toEqual([0, expect.stringContaining("verified")]);
      // Signed by another key that is also in the keyring: not the pin, refused.
      expect((await verify(pinned, `${tarball}.other.asc`)).code).not.toBe(0);
      // Tampered archive.
      const tampered = write(path.join(work, "tampered.tar.gz"), "pretend release, modified\n");
      expect((await verify(pinned, `${tarball}.asc`, tampered)).code).not.toBe(0);
      // The key file does not hold the pinned key (the real Matomo fingerprint).
      const wrongKey = await verify(MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT, `${tarball}.asc`);
      expect([wrongKey.code, wrongKey.stderr]).toEqual([1, expect.stringContaining(`not ${MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT}`)]);
    } finally {
      await run("gpgconf", ["--kill", "all"], { env });
    }
  });

  const keyAsset = path.join(__dirname, "../../modules/cloud-init/files", RELEASE_KEY_ASSET);
  gpg.test(`the embedded release key, when shipped, is the pinned key; otherwise the VMs fetch it by fingerprint${label}`, async () => {
    if (!fs.existsSync(keyAsset)) {
      console.warn(`NOTE: ${RELEASE_KEY_ASSET} not shipped; VMs import the key from the fallback URLs and still enforce the fingerprint.`);
      expect(yamls.frontend).toContain(`search=0x${MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT}`);
      expect(frontend.write_files.some((f) => f.path === PATHS.releaseKeyFile)).toBe(false);
      return;
    }
    const r = await run("gpg", ["--batch", "--with-colons", "--import-options", "show-only", "--import", keyAsset], {
      env: { ...process.env, GNUPGHOME: path.join(work, "gnupg-show") },
    });
    expect(
      r.stdout
        .split("\n")
        .filter((l) => l.startsWith("fpr:"))
        .map((l) => l.split(":")[9])[0],
    ).toBe(MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT);
    expect(fileAt(frontend, PATHS.releaseKeyFile).content).toBe(fs.readFileSync(keyAsset, "utf8"));
  });
});

describe("render-config.php", () => {
  const template = fileAt(frontend, PATHS.commonConfigTemplate).content;
  const secrets = (values: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(work, "secrets-"));
    for (const [k, v] of Object.entries(values)) write(path.join(dir, k), v, 0o600);
    return dir;
  };

  php.test(`fills the DB password and salt so the INI parses back to the Key Vault values${php.label}`, async () => {
    const tpl = write(path.join(work, "common.tpl"), template);
    const out = path.join(work, "out", "common.config.ini.php");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const dir = secrets({ "db-password": FAKE_SECRET_VALUES.dbPassword, salt: FAKE_SECRET_VALUES.salt });
    const r = await run("php", [path.join(libDir, "render-config.php"), tpl, out, dir]);
    if (r.code !== 0) throw new Error(describeResult(r));
    expect(r.stderr).not.toContain(FAKE_SECRET_VALUES.dbPassword);
    expect(fs.statSync(out).mode & 0o777).toBe(0o640);
    const parsed = await run("php", ["-r", "echo json_encode(parse_ini_file($argv[1], true));", out]);
    const ini = JSON.parse(parsed.stdout);
    expect(ini.database.password).toBe(FAKE_SECRET_VALUES.dbPassword);
    expect(ini.General.salt).toBe(FAKE_SECRET_VALUES.salt);
    expect(ini.General.trusted_hosts).toEqual(["analytics.example.com", "stats.example.com"]);
    expect(ini.General.proxy_client_headers).toEqual(["HTTP_CF_CONNECTING_IP"]);
    expect(ini.database.enable_ssl).toBe("1");
  });

  php.test(`refuses secrets that INI double quotes cannot carry, without printing them${php.label}`, async () => {
    const tpl = write(path.join(work, "common2.tpl"), template);
    const unsafe = 'Pa$$word"with;quotes';
    const r = await run("php", [
      path.join(libDir, "render-config.php"),
      tpl,
      path.join(work, "out2.ini"),
      secrets({ "db-password": unsafe, salt: FAKE_SECRET_VALUES.salt }),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(unsafe);
    expect(fs.existsSync(path.join(work, "out2.ini"))).toBe(false);
  });
});

describe("healthz.php", () => {
  const script = path.join(libDir, "healthz.php");
  const health = (env: Record<string, string>) => run("php", [script], { env: { ...process.env, ...env } });

  php.test(`answers 'unavailable' until provisioning has completed${php.label}`, async () => {
    const r = await health({ MATOMO_HEALTH_READY_FILE: path.join(work, "no-such-ready-file") });
    expect(r.stdout).toBe("unavailable\n");
    expect(r.stderr).toContain("provisioning check failed");
  });

  php.test(`fails closed, fast and without details when the database is unreachable${php.label}`, async () => {
    const hdir = path.join(work, "health");
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const common = fileAt(frontend, PATHS.commonConfigTemplate)
      .content.replace(/^host = .*$/m, 'host = "127.0.0.1"')
      .replace(/^port = .*$/m, `port = ${closedPort}`)
      .replace("@@MATOMO_DB_PASSWORD@@", FAKE_SECRET_VALUES.dbPassword)
      .replace("@@MATOMO_SALT@@", FAKE_SECRET_VALUES.salt);
    const env = {
      MATOMO_HEALTH_READY_FILE: write(path.join(hdir, "ready"), "x"),
      MATOMO_HEALTH_SHARE_MARKER: write(path.join(hdir, "marker"), "shared set"),
      MATOMO_HEALTH_SHARED_CONFIG: write(path.join(hdir, "config.ini.php"), "; shared"),
      MATOMO_HEALTH_COMMON_CONFIG: write(path.join(hdir, "common.config.ini.php"), common),
    };
    const started = Date.now();
    const r = await health(env);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.stdout).toBe("unavailable\n");
    expect(r.stderr).toContain("database check failed");
    expect(r.stdout + r.stderr).not.toContain(FAKE_SECRET_VALUES.dbPassword);

    // Share marker unreadable: the share check fails first.
    const noShare = await health({ ...env, MATOMO_HEALTH_SHARE_MARKER: path.join(hdir, "missing") });
    expect([noShare.stdout, noShare.stderr]).toEqual(["unavailable\n", expect.stringContaining("share check failed")]);
  });
});
