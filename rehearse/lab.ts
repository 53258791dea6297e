/**
 * The rehearsal's machines on this one machine: network namespaces on a
 * bridge, each with its own address, and for each VM a filesystem view in
 * which the payload's system paths (/etc/nginx, /etc/php, /var/www, /run, ...)
 * are bind mounts of that host's own directories (rehearse/bin/enter-host).
 */
import * as fs from "fs";
import * as path from "path";
import { Payload } from "./payload";
import { run, must, RunResult, RunOptions } from "./sh";

export const BRIDGE = "rhbr0";
export const SUBNET = "10.250.0";
export const IMDS_IP = "169.254.169.254";

/** Host paths given their own directory per rehearsal host: [directory name, mount target, kind]. */
export const VIEW: readonly (readonly [string, string, "dir" | "file"])[] = [
  // A copy of this machine's /etc: the payload writes /etc/nginx, /etc/php, /etc/matomo,
  // /etc/fstab (by rename), /etc/cron.d and the systemd unit; /etc/hosts names the stand-ins.
  ["etc", "/etc", "dir"],
  ["mozilla-roots", "/usr/share/ca-certificates/mozilla", "dir"],
  ["usr-local-lib-matomo", "/usr/local/lib/matomo", "dir"],
  ["usr-local-share-matomo", "/usr/local/share/matomo", "dir"],
  ["var-www", "/var/www", "dir"],
  ["var-lib-matomo", "/var/lib/matomo", "dir"],
  ["var-log", "/var/log", "dir"],
  ["var-tmp", "/var/tmp", "dir"],
  ["tmp", "/tmp", "dir"],
  ["run", "/run", "dir"],
  ["mnt", "/mnt", "dir"],
];

/** Maps a path of the VM to this host's directory; throws for a path outside the view (it would touch the real machine). */
export function viewPath(hostDir: string, vmPath: string): string {
  let best: readonly [string, string, "dir" | "file"] | undefined;
  for (const v of VIEW) {
    if ((vmPath === v[1] || (v[2] === "dir" && vmPath.startsWith(`${v[1]}/`))) && (!best || v[1].length > best[1].length)) best = v;
  }
  if (!best) throw new Error(`payload path ${vmPath} is outside the rehearsal host's view (add it to VIEW in rehearse/lab.ts)`);
  return path.join(hostDir, best[0], vmPath.slice(best[1].length));
}

export class Net {
  readonly names: string[] = [];
  /** `stateFile` lists the namespaces, so a supervisor can remove them if this process dies. */
  constructor(private readonly stateFile: string) {}

  up(): void {
    run("ip", ["link", "del", BRIDGE]);
    must("ip", ["link", "add", BRIDGE, "type", "bridge"]);
    must("ip", ["addr", "add", `${SUBNET}.1/24`, "dev", BRIDGE]);
    must("ip", ["link", "set", BRIDGE, "up"]);
  }

  /** A namespace `rh-<name>` with `eth0` at SUBNET.<octet> on the bridge (and extra addresses). */
  add(name: string, octet: number, extra: readonly string[] = []): string {
    const ns = `rh-${name}`;
    const veth = `rhv-${name}`;
    run("ip", ["netns", "del", ns]);
    must("ip", ["netns", "add", ns]);
    this.names.push(name);
    fs.appendFileSync(this.stateFile, `${name}\n`);
    must("ip", ["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns]);
    must("ip", ["link", "set", veth, "master", BRIDGE, "up"]);
    const x = (...a: string[]) => must("ip", ["netns", "exec", ns, ...a]);
    x("ip", "link", "set", "lo", "up");
    x("ip", "addr", "add", `${SUBNET}.${octet}/24`, "dev", "eth0");
    for (const a of extra) x("ip", "addr", "add", a, "dev", "eth0");
    x("ip", "link", "set", "eth0", "up");
    if (!extra.length) x("ip", "route", "add", `${IMDS_IP}/32`, "dev", "eth0");
    return `${SUBNET}.${octet}`;
  }

  /** Cuts a host off the network (its VM is gone for everyone else). */
  unplug(name: string): void {
    run("ip", ["link", "set", `rhv-${name}`, "down"]);
  }

  plug(name: string): void {
    run("ip", ["link", "set", `rhv-${name}`, "up"]);
  }

  /** Kills every process in a namespace (only the rehearsal's own namespaces). */
  static killAll(name: string): void {
    for (let i = 0; i < 3; i++) {
      const pids = run("ip", ["netns", "pids", `rh-${name}`], { timeoutMs: 10_000 })
        .stdout.split(/\s+/)
        .filter(Boolean);
      if (pids.length === 0) return;
      run("kill", [i < 2 ? "-TERM" : "-KILL", ...pids]);
      run("sleep", ["1"]);
    }
  }

  /** Removes the namespaces listed in `stateFile` (and everything running in them) and the bridge. */
  static down(stateFile: string): void {
    const names = fs.existsSync(stateFile) ? fs.readFileSync(stateFile, "utf8").split("\n").filter(Boolean) : [];
    for (const n of [...new Set(names)].reverse()) {
      Net.killAll(n);
      run("ip", ["netns", "del", `rh-${n}`]);
      run("ip", ["link", "del", `rhv-${n}`]);
    }
    run("ip", ["link", "del", BRIDGE]);
  }
}

export interface HostSpec {
  readonly name: string;
  readonly ip: string;
  readonly role: "frontend" | "archiver";
  /** VM path -> directory bind-mounted there (the shares); `ro` for frontends. */
  readonly shares: readonly { readonly at: string; readonly dir: string; readonly ro: boolean }[];
  readonly hosts: Readonly<Record<string, string>>;
}

/** One rehearsal VM: a namespace plus a directory tree standing in for its disk. */
export class Host {
  readonly dir: string;
  /** `createdFile` lists mount targets created on this machine, removed again on clean-up. */
  constructor(
    readonly root: string,
    readonly spec: HostSpec,
    private readonly createdFile: string,
  ) {
    this.dir = path.join(root, "hosts", spec.name);
  }

  get ns(): string {
    return `rh-${this.spec.name}`;
  }

  /** A fresh disk: Debian's /etc/nginx and /etc/php, empty payload paths, CA bundles with the rehearsal CA. */
  layout(ca: string): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
    for (const [name, target, kind] of VIEW) {
      const p = path.join(this.dir, name);
      if (kind === "file") fs.writeFileSync(p, "");
      else fs.mkdirSync(p, { recursive: true });
      if (!fs.existsSync(target)) {
        if (kind === "dir") fs.mkdirSync(target, { recursive: true });
        else fs.writeFileSync(target, "");
        fs.appendFileSync(this.createdFile, `${target}\n`);
      }
    }
    must("cp", ["-a", "/etc/.", path.join(this.dir, "etc")]);
    const phpVersion = fs
      .readdirSync("/etc/php")
      .filter((d) => /^\d+\.\d+$/.test(d))
      .sort()
      .pop();
    if (!phpVersion) throw new Error("no PHP under /etc/php: install php-cli and php-fpm (Debian)");
    // The payload names Ubuntu 24.04's PHP 8.3; Debian's PHP answers to that name here.
    if (phpVersion !== "8.3") fs.symlinkSync(phpVersion, path.join(this.dir, "etc", "php", "8.3"));
    fs.mkdirSync(path.join(this.dir, "var-log", "nginx"), { recursive: true });
    // The logger stand-in's file: every user may log, as with syslog.
    fs.writeFileSync(path.join(this.dir, "var-log", "syslog-rehearsal"), "");
    fs.chmodSync(path.join(this.dir, "var-log", "syslog-rehearsal"), 0o666);
    Host.emptyRun(path.join(this.dir, "run"));
    fs.chmodSync(path.join(this.dir, "tmp"), 0o1777);
    fs.chmodSync(path.join(this.dir, "var-tmp"), 0o1777);
    fs.writeFileSync(
      path.join(this.dir, "etc", "hosts"),
      ["127.0.0.1 localhost", `${this.spec.ip} ${this.spec.name}`, ...Object.entries(this.spec.hosts).map(([name, ip]) => `${ip} ${name}`)].join("\n") + "\n",
    );
    const caPem = fs.readFileSync(ca, "utf8");
    fs.appendFileSync(path.join(this.dir, "etc", "ssl", "certs", "ca-certificates.crt"), caPem);
    must("cp", ["-a", "/usr/share/ca-certificates/mozilla/.", path.join(this.dir, "mozilla-roots")]);
    // The database's TLS chain ends at the rehearsal CA, in place of one of Azure's roots.
    fs.writeFileSync(path.join(this.dir, "mozilla-roots", "DigiCert_Global_Root_G2.crt"), caPem);
    const binds = VIEW.map(([name, target]) => `${path.join(this.dir, name)}:${target}:rw`);
    for (const s of this.spec.shares) {
      fs.mkdirSync(path.join(this.dir, "mnt", s.at.replace(/^\/mnt\//, "")), { recursive: true });
      binds.push(`${s.dir}:${s.at}:${s.ro ? "ro" : "rw"}`);
    }
    fs.writeFileSync(path.join(this.dir, "binds"), binds.join("\n") + "\n");
  }

  /** /run as after a boot: empty tmpfs with the world-writable lock directory (cron jobs lock as www-data). */
  static emptyRun(runDir: string): void {
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(runDir, "lock"), { recursive: true });
    fs.chmodSync(path.join(runDir, "lock"), 0o1777);
  }

  /** Writes the payload's write_files into this host's view (cloud-init's write_files module). */
  writeFiles(payload: Payload, replace: (vmPath: string, content: string) => string = (_p, c) => c): void {
    for (const f of payload.files) {
      const p = viewPath(this.dir, f.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, replace(f.path, f.content));
      fs.chmodSync(p, parseInt(f.permissions, 8));
      must("chown", [f.owner, p]);
    }
  }

  /** Runs a command inside this VM (its namespace and filesystem view). */
  exec(args: readonly string[], opts: RunOptions = {}): RunResult {
    return run("ip", ["netns", "exec", this.ns, path.join(this.root, "bin", "enter-host"), this.dir, ...args], { timeoutMs: 300_000, ...opts });
  }

  /** cloud-init's runcmd, command by command, stopping at the first failure. */
  runcmd(payload: Payload, timeoutMs: number): RunResult {
    let last: RunResult = { code: 0, stdout: "", stderr: "", ms: 0 };
    let ms = 0;
    for (const c of payload.runcmd) {
      last = this.exec(c, { timeoutMs });
      ms += last.ms;
      if (last.code !== 0) break;
    }
    return { ...last, ms };
  }

  file(vmPath: string): string {
    return viewPath(this.dir, vmPath);
  }

  read(vmPath: string): string {
    const p = this.file(vmPath);
    return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : "";
  }

  exists(vmPath: string): boolean {
    return fs.existsSync(this.file(vmPath));
  }
}
