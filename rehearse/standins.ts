/**
 * Local stand-ins for what the VMs reach outside themselves, run inside the
 * rehearsal's "azure" network namespace:
 *  - instance metadata (http://169.254.169.254): managed-identity tokens;
 *  - Key Vault (https://<vault>.vault.azure.net): GET /secrets/<name>;
 *  - Cloudflare's API (https://api.cloudflare.com/client/v4/ips);
 *  - the release download (https://builds.matomo.org/<file>), the signing
 *    key (https://keyserver.ubuntu.com/pks/lookup) and the geolocation
 *    database (https://download.db-ip.com/free/<file>, 404 unless provided).
 * Files are read at request time, so a drill can remove a secret or swap a
 * release. Every request is logged as one JSON line.
 *
 *   node standins.js CONFIG.json
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";

export interface StandinConfig {
  readonly cert: string;
  readonly key: string;
  readonly token: string;
  readonly secretsDir: string;
  readonly releaseDir: string;
  readonly cloudflareIpsFile: string;
  readonly logFile: string;
}

type Answer = { status: number; type?: string; body: string | Buffer };

const json = (status: number, value: unknown): Answer => ({ status, type: "application/json", body: JSON.stringify(value) });

/** The stand-ins' routing, a pure function of the request and the files (unit-tested). */
export function answer(cfg: StandinConfig, method: string, host: string, url: string, headers: http.IncomingHttpHeaders): Answer {
  const u = new URL(url, `https://${host}`);
  const name = host.split(":")[0].toLowerCase();
  if (method !== "GET") return json(405, { error: "method" });
  if (name === "169.254.169.254") {
    if (u.pathname !== "/metadata/identity/oauth2/token") return json(404, { error: "not found" });
    if (headers.metadata !== "true") return json(400, { error: "invalid_request", error_description: "Required metadata header not specified" });
    if (u.searchParams.get("resource") !== "https://vault.azure.net") return json(400, { error: "invalid_resource" });
    return json(200, { access_token: cfg.token, token_type: "Bearer", resource: "https://vault.azure.net", expires_in: "3599" });
  }
  if (name.endsWith(".vault.azure.net")) {
    if (headers.authorization !== `Bearer ${cfg.token}`) return json(401, { error: { code: "Unauthorized" } });
    const m = /^\/secrets\/([0-9A-Za-z-]{1,127})$/.exec(u.pathname);
    if (!m || !u.searchParams.get("api-version")) return json(400, { error: { code: "BadParameter" } });
    const file = path.join(cfg.secretsDir, m[1]);
    if (!fs.existsSync(file))
      return json(404, { error: { code: "SecretNotFound", message: `A secret with (name/id) ${m[1]} was not found in this key vault.` } });
    return json(200, { value: fs.readFileSync(file, "utf8"), id: `https://${name}/secrets/${m[1]}/0` });
  }
  if (name === "api.cloudflare.com") {
    if (u.pathname !== "/client/v4/ips") return json(404, { success: false });
    return { status: 200, type: "application/json", body: fs.readFileSync(cfg.cloudflareIpsFile) };
  }
  if (name === "builds.matomo.org" || name === "keyserver.ubuntu.com" || name === "download.db-ip.com") {
    const file =
      name === "keyserver.ubuntu.com"
        ? u.pathname === "/pks/lookup"
          ? "signing-key.asc"
          : ""
        : name === "download.db-ip.com"
          ? `geoip-${path.basename(u.pathname)}`
          : path.basename(u.pathname);
    const full = path.join(cfg.releaseDir, file);
    if (!file || !fs.existsSync(full)) return { status: 404, body: "not found\n" };
    return { status: 200, type: "application/octet-stream", body: fs.readFileSync(full) };
  }
  return { status: 421, body: "no stand-in for this host\n" };
}

function serve(cfg: StandinConfig) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    let a: Answer;
    try {
      a = answer(cfg, req.method ?? "GET", req.headers.host ?? "", req.url ?? "/", req.headers);
    } catch (err) {
      a = { status: 500, body: String(err) };
    }
    fs.appendFileSync(
      cfg.logFile,
      `${JSON.stringify({ t: new Date().toISOString(), host: req.headers.host, path: (req.url ?? "").split("?")[0], status: a.status })}\n`,
    );
    res.writeHead(a.status, { "content-type": a.type ?? "text/plain" });
    res.end(a.body);
  };
}

if (require.main === module) {
  const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as StandinConfig;
  http.createServer(serve(cfg)).listen(80, "0.0.0.0");
  https.createServer({ cert: fs.readFileSync(cfg.cert), key: fs.readFileSync(cfg.key) }, serve(cfg)).listen(443, "0.0.0.0");
  process.on("SIGTERM", () => process.exit(0));
}
