/**
 * `npm run rehearse`: one region of the blueprint on this machine, from the
 * same cloud-init payloads that go to Azure (docs/rehearsal.md).
 *
 *   npm run rehearse                                  stand-ins, MariaDB, nginx, refusals; Matomo parts skipped
 *   npm run rehearse -- --release matomo-X.tar.gz --release-key key.asc [--next-release matomo-Y.tar.gz]
 *
 * Must run as root (network namespaces, bind mounts). Everything it starts is
 * stopped and removed on exit, also on failure or Ctrl-C.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BlueprintConfigInput } from "../config";
import { CLOUDFLARE_IP_RANGES_PINNED, DEFAULT_HEALTH_PATH, PATHS } from "../modules/cloud-init";
import { extractPayload, parseCron, parseEnvFile, Payload, payloadFile, synthesizePayloads } from "./payload";
import { Host, HostSpec, IMDS_IP, Net } from "./lab";
import { MariaDb } from "./mariadb";
import { KeyPair, Pki } from "./pki";
import { buildStubRelease, keyFileFingerprint, SigningKey, tarballVersion } from "./release";
import { Report } from "./report";
import { daemon, run, RunResult, waitFor } from "./sh";
import { StandinConfig } from "./standins";

export interface Options {
  readonly release?: string;
  readonly releaseKey?: string;
  readonly nextRelease?: string;
  readonly keep: boolean;
  readonly capacitySeconds: number;
  /** Set by the supervisor for the process doing the work. */
  readonly childRoot?: string;
}

/** Command-line options; every problem names the option and the fix. */
export function parseArgs(argv: readonly string[]): Options {
  const o: { release?: string; releaseKey?: string; nextRelease?: string; keep: boolean; capacitySeconds: number; childRoot?: string } = {
    keep: false,
    capacitySeconds: 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value (e.g. ${a} /path/to/file)`);
      return v;
    };
    if (a === "--release") o.release = value();
    else if (a === "--release-key") o.releaseKey = value();
    else if (a === "--next-release") o.nextRelease = value();
    else if (a === "--keep") o.keep = true;
    else if (a === "--child-root") o.childRoot = value();
    else if (a === "--capacity-seconds") {
      const v = value();
      o.capacitySeconds = Number(v);
      if (!Number.isInteger(o.capacitySeconds) || o.capacitySeconds < 1 || o.capacitySeconds > 120)
        throw new Error(`--capacity-seconds must be an integer from 1 to 120 (got ${v})`);
    } else throw new Error(`unknown option ${a}: use --release PATH --release-key KEY [--next-release PATH] [--capacity-seconds N] [--keep]`);
  }
  if ((o.release === undefined) !== (o.releaseKey === undefined))
    throw new Error("--release and --release-key go together: pass the tarball and the armored public key that signed it");
  if (o.nextRelease && !o.release) throw new Error("--next-release needs --release (the version to upgrade from)");
  for (const [opt, f] of [
    ["--release", o.release],
    ["--release-key", o.releaseKey],
    ["--next-release", o.nextRelease],
  ] as const) {
    if (f && !fs.existsSync(f)) throw new Error(`${opt} ${f}: no such file`);
    if (f && opt !== "--release-key" && !fs.existsSync(`${f}.asc`))
      throw new Error(`${opt} ${f}: its detached signature ${f}.asc is missing (the VMs download both)`);
  }
  return o;
}

const ROOT_PARENT = "/var/cache/matomo-rehearsal";
const STUB_VERSION = "5.1.3";
const STUB_OLDER = "5.1.2";
const TOO_OLD = "5.0.3";
const HOSTS = { svc: 2, db1: 11, db2: 12, fe1: 21, fe2: 22, arc: 31, rf: 41 } as const;

function binDir(): string {
  const candidates = [path.join(__dirname, "bin"), path.resolve(__dirname, "..", "..", "rehearse", "bin")];
  const found = candidates.find((d) => fs.existsSync(path.join(d, "enter-host")));
  if (!found) throw new Error(`rehearse/bin not found (looked in ${candidates.join(", ")})`);
  return found;
}

function secretValue(): string {
  return crypto.randomBytes(24).toString("base64url");
}

function expect(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}

function tail(r: RunResult, n = 6): string {
  return (r.stdout + r.stderr).trim().split("\n").slice(-n).join(" | ");
}

class Rehearsal {
  readonly report = new Report();
  readonly net: Net;
  readonly pki: Pki;
  root: string;
  standins?: { pid?: number };
  dbs: MariaDb[] = [];
  hosts: Record<string, Host> = {};
  ca!: KeyPair;
  clientCa!: KeyPair;
  client!: KeyPair;
  strangerClient!: KeyPair;
  payloads!: { frontend: Payload; archiver: Payload; frontendPromoted: Payload; archiverPromoted: Payload };
  env!: Record<string, string>;
  /** The payloads the VMs currently run (they change with a promotion). */
  currentFrontend!: Payload;
  currentArchiver!: Payload;
  archEnv!: Record<string, string>;
  pin = "";
  secretsDir = "";
  releaseDir = "";
  version = STUB_VERSION;
  stubKey!: SigningKey;

  constructor(
    readonly opts: Options,
    root: string,
  ) {
    this.root = root;
    this.net = new Net(path.join(root, "namespaces"));
    this.pki = new Pki(path.join(this.root, "pki"));
  }

  // ---------------------------------------------------------------- set-up
  render(): void {
    const version = this.opts.release ? tarballVersion(this.opts.release) : STUB_VERSION;
    this.version = version;
    const patch = (promote: boolean) => (c: BlueprintConfigInput) => {
      c.matomo = { ...c.matomo, version };
      // The same config change as the region-failover runbook: the secondary's server becomes the source.
      if (promote) c.mysql = { ...(c.mysql ?? {}), source: "secondary", readReplica: false };
    };
    const normal = synthesizePayloads(patch(false), this.root);
    const promoted = synthesizePayloads(patch(true), this.root);
    this.payloads = {
      frontend: extractPayload(normal.frontend),
      archiver: extractPayload(normal.archiver),
      frontendPromoted: extractPayload(promoted.frontend),
      archiverPromoted: extractPayload(promoted.archiver),
    };
    this.currentFrontend = this.payloads.frontend;
    this.currentArchiver = this.payloads.archiver;
    this.env = parseEnvFile(payloadFile(this.payloads.frontend, PATHS.envFile).content);
    this.archEnv = parseEnvFile(payloadFile(this.payloads.archiver, PATHS.envFile).content);
  }

  promotedDbHost(): string {
    return parseEnvFile(payloadFile(this.payloads.frontendPromoted, PATHS.envFile).content).MATOMO_DB_HOST;
  }

  nameMap(): Record<string, string> {
    const svc = `10.250.0.${HOSTS.svc}`;
    return {
      [`${this.env.MATOMO_KEY_VAULT_NAME}.vault.azure.net`]: svc,
      "api.cloudflare.com": svc,
      "builds.matomo.org": svc,
      "download.db-ip.com": svc,
      "keyserver.ubuntu.com": svc,
      [this.env.MATOMO_DB_HOST]: `10.250.0.${HOSTS.db1}`,
      [this.promotedDbHost()]: `10.250.0.${HOSTS.db2}`,
    };
  }

  setUp(): void {
    fs.cpSync(binDir(), path.join(this.root, "bin"), { recursive: true });
    this.ca = this.pki.ca("ca");
    this.clientCa = this.pki.ca("origin-pull-ca");
    this.client = this.pki.leaf(this.clientCa, "edge-client", ["cloudflare-edge.rehearsal"], "client");
    const stranger = this.pki.ca("stranger-ca");
    this.strangerClient = this.pki.leaf(stranger, "stranger-client", ["stranger.rehearsal"], "client");
    this.net.up();
    for (const [name, octet] of Object.entries(HOSTS)) this.net.add(name, octet, name === "svc" ? [`${IMDS_IP}/32`] : []);

    // Key Vault's secrets: names from the payload's env files, values random per run.
    this.secretsDir = path.join(this.root, "keyvault");
    fs.mkdirSync(this.secretsDir, { mode: 0o700 });
    const origin = this.pki.leaf(this.ca, "origin", [this.env.MATOMO_PUBLIC_HOSTNAME], "server");
    const put = (name: string, value: string) => fs.writeFileSync(path.join(this.secretsDir, name), value);
    put(this.env.MATOMO_SECRET_DB_PASSWORD, secretValue());
    put(this.env.MATOMO_SECRET_SALT, secretValue());
    put(this.env.MATOMO_SECRET_ORIGIN_CERT, fs.readFileSync(origin.cert, "utf8"));
    put(this.env.MATOMO_SECRET_ORIGIN_KEY, fs.readFileSync(origin.key, "utf8"));
    put(this.archEnv.MATOMO_SECRET_DB_ADMIN_PASSWORD, secretValue());
    put(this.archEnv.MATOMO_SECRET_SUPERUSER_PASSWORD, secretValue());

    // Releases: the real one (if given) and stub releases signed by a throw-away key.
    this.releaseDir = path.join(this.root, "releases");
    fs.mkdirSync(this.releaseDir);
    this.stubKey = new SigningKey(path.join(this.root, "gpg-stub"), "rehearsal stub release key");
    if (this.opts.release && this.opts.releaseKey) {
      this.pin = keyFileFingerprint(this.opts.releaseKey);
      this.publishRelease(this.opts.release, this.opts.releaseKey);
    } else {
      this.pin = this.stubKey.fingerprint;
      this.publishStub(STUB_VERSION);
    }

    const cfIps = path.join(this.root, "cloudflare-ips.json");
    fs.writeFileSync(
      cfIps,
      JSON.stringify({
        success: true,
        errors: [],
        messages: [],
        result: {
          // The ranges the VMs ship, plus the lab network the rehearsal's "Cloudflare" clients come from.
          ipv4_cidrs: [...CLOUDFLARE_IP_RANGES_PINNED.ipv4, "10.250.0.0/24"],
          ipv6_cidrs: [...CLOUDFLARE_IP_RANGES_PINNED.ipv6],
          etag: "rehearsal",
        },
      }),
    );
    const svcTls = this.pki.leaf(
      this.ca,
      "standins",
      [`${this.env.MATOMO_KEY_VAULT_NAME}.vault.azure.net`, "api.cloudflare.com", "builds.matomo.org", "keyserver.ubuntu.com", "download.db-ip.com"],
      "server",
    );
    const cfg: StandinConfig = {
      cert: svcTls.cert,
      key: svcTls.key,
      token: crypto.randomBytes(32).toString("hex"),
      secretsDir: this.secretsDir,
      releaseDir: this.releaseDir,
      cloudflareIpsFile: cfIps,
      logFile: path.join(this.root, "standins.log"),
    };
    fs.writeFileSync(path.join(this.root, "standins.json"), JSON.stringify(cfg));
    const child = daemon(
      "ip",
      ["netns", "exec", "rh-svc", process.execPath, path.join(__dirname, "standins.js"), path.join(this.root, "standins.json")],
      path.join(this.root, "standins.out"),
    );
    this.standins = { pid: child.pid };
    if (!waitFor(() => run("ip", ["netns", "exec", "rh-svc", "curl", "-s", "-o", "/dev/null", `http://${IMDS_IP}/`]).code === 0, 15_000)) {
      throw new Error(`stand-ins did not start: ${fs.readFileSync(path.join(this.root, "standins.out"), "utf8")}`);
    }

    const dbTls = (name: string, host: string, ip: string) => this.pki.leaf(this.ca, name, [host, ip], "server");
    const db1 = new MariaDb(this.root, "db1", `10.250.0.${HOSTS.db1}`, 1, dbTls("db1", this.env.MATOMO_DB_HOST, `10.250.0.${HOSTS.db1}`), this.ca.cert);
    const db2 = new MariaDb(this.root, "db2", `10.250.0.${HOSTS.db2}`, 2, dbTls("db2", this.promotedDbHost(), `10.250.0.${HOSTS.db2}`), this.ca.cert);
    this.dbs = [db1, db2];
    this.activeDb = db1;
  }

  publishRelease(tarball: string, key: string): void {
    const base = path.basename(tarball);
    fs.copyFileSync(tarball, path.join(this.releaseDir, base));
    fs.copyFileSync(`${tarball}.asc`, path.join(this.releaseDir, `${base}.asc`));
    fs.copyFileSync(key, path.join(this.releaseDir, "signing-key.asc"));
  }

  publishStub(version: string, key: SigningKey = this.stubKey): void {
    const tarball = buildStubRelease(path.join(this.root, "stub-build"), version);
    fs.copyFileSync(tarball, path.join(this.releaseDir, path.basename(tarball)));
    key.sign(path.join(this.releaseDir, path.basename(tarball)), path.join(this.releaseDir, `${path.basename(tarball)}.asc`));
    key.exportPublic(path.join(this.releaseDir, "signing-key.asc"));
  }

  /** The writable server the VMs use: the primary, or the replica once promoted. */
  activeDb!: MariaDb;

  get db1(): MariaDb {
    return this.dbs[0];
  }

  get db2(): MariaDb {
    return this.dbs[1];
  }

  shareDir(which: "primary" | "replica"): string {
    const d = path.join(this.root, "shares", which);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  host(name: string, role: "frontend" | "archiver"): Host {
    const shares =
      role === "frontend"
        ? [{ at: this.env.MATOMO_SHARE_MOUNT, dir: this.shareDir("primary"), ro: true }]
        : [
            { at: this.archEnv.MATOMO_SHARE_MOUNT, dir: this.shareDir("primary"), ro: false },
            ...this.archEnv.MATOMO_REPLICA_MOUNTS.split(" ")
              .filter(Boolean)
              .map((at) => ({ at, dir: this.shareDir("replica"), ro: false })),
          ];
    const names = { ...this.nameMap(), [this.env.MATOMO_PUBLIC_HOSTNAME]: role === "frontend" ? "127.0.0.1" : `10.250.0.${HOSTS.fe1}` };
    const spec: HostSpec = { name, ip: `10.250.0.${HOSTS[name as keyof typeof HOSTS]}`, role, shares, hosts: names };
    const h = new Host(this.root, spec, path.join(this.root, "created"));
    this.hosts[name] = h;
    return h;
  }

  /**
   * cloud-init on a fresh disk: write_files, then runcmd. Two trust anchors are
   * the rehearsal's own (docs/rehearsal.md): the release-signing fingerprint
   * pin, and the origin-pull CA (Cloudflare's, plus the rehearsal's client CA).
   */
  boot(h: Host, payload: Payload, pin = this.pin): RunResult {
    h.layout(this.ca.cert);
    this.install(h, payload, pin);
    return h.runcmd(payload, 1_200_000);
  }

  install(h: Host, payload: Payload, pin = this.pin): void {
    const clientCa = fs.readFileSync(this.clientCa.cert, "utf8");
    h.writeFiles(payload, (p, c) => {
      if (p === PATHS.envFile) return c.replace(/^MATOMO_RELEASE_FINGERPRINT='[0-9A-F]+'$/m, `MATOMO_RELEASE_FINGERPRINT='${pin}'`);
      if (p === PATHS.originPullCa) return c + clientCa;
      return c;
    });
  }

  /** A reboot: provisioning runs again (matomo-provision.service at every boot). */
  reprovision(h: Host): RunResult {
    return h.exec(["systemctl", "start", "matomo-provision.service"], { timeoutMs: 1_200_000 });
  }

  /** An HTTPS request to a frontend as Cloudflare's edge would send it (from the stand-in namespace). */
  request(
    fe: string,
    urlPath: string,
    opts: { cert?: KeyPair; host?: string; method?: string; headers?: readonly string[] } = {},
  ): { status: number; body: string } {
    const host = opts.host ?? this.env.MATOMO_PUBLIC_HOSTNAME;
    const ip = `10.250.0.${HOSTS[fe as keyof typeof HOSTS]}`;
    const out = path.join(this.root, `resp-${crypto.randomBytes(4).toString("hex")}`);
    const r = run(
      "ip",
      [
        "netns",
        "exec",
        "rh-svc",
        "curl",
        "-s",
        "-o",
        out,
        "-w",
        "%{http_code}",
        "--max-time",
        "60",
        "--resolve",
        `${host}:443:${ip}`,
        "--cacert",
        this.ca.cert,
        // Another zone pointed at this origin: its name is not on the origin certificate.
        ...(host === this.env.MATOMO_PUBLIC_HOSTNAME ? [] : ["--insecure"]),
        ...(opts.method ? ["-X", opts.method] : []),
        ...(opts.headers ?? []).flatMap((h) => ["-H", h]),
        ...(opts.cert ? ["--cert", opts.cert.cert, "--key", opts.cert.key] : []),
        `https://${host}${urlPath}`,
      ],
      { timeoutMs: 70_000 },
    );
    const body = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "";
    fs.rmSync(out, { force: true });
    return { status: Number(r.stdout.trim()) || 0, body };
  }

  cron(h: Host, payload: Payload, match: string): RunResult {
    const job = parseCron(payloadFile(payload, PATHS.cronFile).content).find((j) => j.command.includes(match));
    if (!job) throw new Error(`no cron job '${match}' in ${PATHS.cronFile}`);
    return h.exec(job.user === "root" ? ["sh", "-c", job.command] : ["runuser", "-u", job.user, "--", "sh", "-c", job.command], { timeoutMs: 900_000 });
  }

  syslog(h: Host, tag: string): string {
    return h
      .read("/var/log/syslog-rehearsal")
      .split("\n")
      .filter((l) => l.includes(` ${tag}: `))
      .join("\n");
  }

  /** Matomo's option table (where the schema's version lives). */
  get optionTable(): string {
    return `${this.archEnv.MATOMO_DB_NAME}.\`${this.archEnv.MATOMO_DB_TABLES_PREFIX}option\``;
  }

  /** What the frontends' health endpoints reported: host name -> code version. */
  frontendReports(): Record<string, string> {
    const table = `${this.archEnv.MATOMO_DB_NAME}.\`${this.archEnv.MATOMO_DB_TABLES_PREFIX}${this.archEnv.MATOMO_FRONTEND_REPORT_TABLE}\``;
    const rows = this.activeDb.must(`SELECT host, code_version FROM ${table} ORDER BY host`);
    return Object.fromEntries(
      rows
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t")),
    );
  }

  /** The archiver's own question before core:update, asked on the archiver as an operator would. */
  olderFrontends(version: string): string[] {
    const res = this.hosts.arc.exec([`${PATHS.libDir}/maintenance.sh`, "older-frontends", version]);
    if (res.code !== 0) throw new Error(`dbtool older-frontends on the archiver: ${res.stderr.trim()}`);
    return res.stdout.split("\n").filter(Boolean);
  }

  dbAdmin(): string {
    return fs.readFileSync(path.join(this.secretsDir, this.archEnv.MATOMO_SECRET_DB_ADMIN_PASSWORD), "utf8");
  }

  /** /healthz as the Cloudflare monitor asks it (with the origin-pull client certificate). */
  health(fe: string): number {
    return this.request(fe, this.healthPath, { cert: this.client }).status;
  }

  get healthPath(): string {
    return DEFAULT_HEALTH_PATH;
  }

  // ---------------------------------------------------------------- clean-up
  cleanUp(): void {
    for (const d of this.dbs) if (d.running()) d.stop();
    cleanUpRun(this.root, this.opts.keep);
  }
}

/** A fresh run directory. Not under /tmp, /run or /var/tmp: those are bind-mounted per host and would hide it. */
export function newRunRoot(): string {
  fs.mkdirSync(ROOT_PARENT, { recursive: true });
  const root = fs.mkdtempSync(path.join(ROOT_PARENT, "run-"));
  fs.chmodSync(root, 0o755);
  return root;
}

/**
 * Removes everything a run started or created, from what it recorded in its
 * directory only, so it also works after the run's process died: processes
 * in its namespaces, the namespaces, the bridge, GnuPG agents, mount targets
 * it had to create, and (unless `keep`) the directory. Idempotent.
 */
export function cleanUpRun(root: string, keep: boolean): void {
  if (!fs.existsSync(root)) return;
  for (const d of fs.readdirSync(root).filter((n) => n.startsWith("gpg-"))) {
    run("gpgconf", ["--homedir", path.join(root, d), "--kill", "all"], { timeoutMs: 10_000 });
  }
  Net.down(path.join(root, "namespaces"));
  const createdFile = path.join(root, "created");
  const created = fs.existsSync(createdFile) ? fs.readFileSync(createdFile, "utf8").split("\n").filter(Boolean) : [];
  for (const t of [...new Set(created)].sort((a, b) => b.length - a.length)) {
    try {
      const st = fs.statSync(t);
      if (st.isDirectory()) fs.rmdirSync(t);
      else if (st.size === 0) fs.rmSync(t);
    } catch {
      // not empty or already gone: leave it
    }
  }
  if (keep) {
    process.stdout.write(`[rehearse] kept ${root}\n`);
    return;
  }
  fs.rmSync(root, { recursive: true, force: true });
  if (fs.existsSync(ROOT_PARENT) && fs.readdirSync(ROOT_PARENT).length === 0) fs.rmdirSync(ROOT_PARENT);
}

export { Rehearsal, expect, tail, HOSTS, STUB_VERSION, STUB_OLDER, TOO_OLD };
