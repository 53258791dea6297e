/**
 * MariaDB standing in for Azure Database for MySQL: a primary and a read
 * replica, each in its own network namespace, TLS required for every TCP
 * client (require_secure_transport) and for replication (verified server
 * certificate), GTID replication.
 */
import * as fs from "fs";
import * as path from "path";
import { KeyPair } from "./pki";
import { daemon, must, run, RunResult, waitFor } from "./sh";

export class MariaDb {
  readonly dir: string;
  constructor(
    root: string,
    readonly name: string,
    readonly ip: string,
    readonly serverId: number,
    private readonly tls: KeyPair,
    private readonly ca: string,
  ) {
    this.dir = path.join(root, name);
  }

  get socket(): string {
    return path.join(this.dir, "mysqld.sock");
  }

  init(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(this.dir, "data"), { recursive: true });
    fs.chmodSync(this.dir, 0o755);
    must("chown", ["-R", "mysql:mysql", this.dir]);
    must(
      "mariadb-install-db",
      ["--no-defaults", "--user=mysql", `--datadir=${path.join(this.dir, "data")}`, "--auth-root-authentication-method=socket", "--skip-test-db"],
      { timeoutMs: 120_000 },
    );
  }

  start(readOnly: boolean): void {
    daemon(
      "ip",
      [
        "netns",
        "exec",
        `rh-${this.name}`,
        "mariadbd",
        "--no-defaults",
        "--user=mysql",
        `--datadir=${path.join(this.dir, "data")}`,
        `--socket=${this.socket}`,
        `--pid-file=${path.join(this.dir, "mysqld.pid")}`,
        "--port=3306",
        "--bind-address=0.0.0.0",
        "--skip-name-resolve",
        `--log-error=${path.join(this.dir, "error.log")}`,
        `--ssl-ca=${this.ca}`,
        `--ssl-cert=${this.tls.cert}`,
        `--ssl-key=${this.tls.key}`,
        "--require-secure-transport=ON",
        `--server-id=${this.serverId}`,
        `--log-bin=${path.join(this.dir, "data", "binlog")}`,
        "--binlog-format=ROW",
        // No fsync per commit: this machine's disk must not stand in for Azure's storage in the capacity figure.
        "--innodb-flush-log-at-trx-commit=2",
        "--sync-binlog=0",
        "--innodb-buffer-pool-size=256M",
        "--max-connections=300",
        ...(readOnly ? ["--read-only=ON"] : []),
      ],
      path.join(this.dir, "stdout.log"),
    );
    if (!waitFor(() => this.sql("SELECT 1").code === 0, 60_000)) {
      throw new Error(
        `MariaDB ${this.name} did not start: ${fs.existsSync(path.join(this.dir, "error.log")) ? fs.readFileSync(path.join(this.dir, "error.log"), "utf8").slice(-1500) : ""}`,
      );
    }
  }

  running(): boolean {
    const pidFile = path.join(this.dir, "mysqld.pid");
    return fs.existsSync(pidFile) && run("kill", ["-0", fs.readFileSync(pidFile, "utf8").trim()]).code === 0;
  }

  stop(): void {
    const pidFile = path.join(this.dir, "mysqld.pid");
    if (!fs.existsSync(pidFile)) return;
    run("kill", ["-TERM", fs.readFileSync(pidFile, "utf8").trim()]);
    waitFor(() => !this.running(), 60_000);
  }

  /** Root over the local socket (the socket is not TCP, so TLS does not apply). */
  sql(statement: string, db = ""): RunResult {
    return run("mariadb", ["--no-defaults", "-uroot", `--socket=${this.socket}`, "-N", "-B", ...(db ? [db] : []), "-e", statement], { timeoutMs: 30_000 });
  }

  /** `SHOW ...` output as field -> value (vertical format). */
  fields(statement: string): Record<string, string> {
    const r = run("mariadb", ["--no-defaults", "-uroot", `--socket=${this.socket}`, "-E", "-e", statement], { timeoutMs: 30_000 });
    const out: Record<string, string> = {};
    for (const line of r.stdout.split("\n")) {
      const m = /^\s*([A-Za-z_]+): ?(.*)$/.exec(line);
      if (m) out[m[1]] = m[2];
    }
    return out;
  }

  must(statement: string, db = ""): string {
    const r = this.sql(statement, db);
    if (r.code !== 0) throw new Error(`${this.name}: ${statement.slice(0, 80)}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  }

  /** A TCP client from namespace `fromNs`, with or without TLS. */
  tcp(fromNs: string, user: string, password: string, statement: string, tlsHost?: string): RunResult {
    const tls = tlsHost ? ["--ssl", `--ssl-ca=${this.ca}`, "--ssl-verify-server-cert"] : ["--skip-ssl"];
    return run(
      "ip",
      [
        "netns",
        "exec",
        fromNs,
        "mariadb",
        "--no-defaults",
        `-h${tlsHost ?? this.ip}`,
        `-u${user}`,
        `-p${password}`,
        "--connect-timeout=5",
        ...tls,
        "-N",
        "-B",
        "-e",
        statement,
      ],
      { timeoutMs: 30_000 },
    );
  }
}
