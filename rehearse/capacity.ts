/**
 * A bounded HTTPS load client (count AND time): keep-alive connections with
 * the edge's client certificate, run inside a frontend's namespace against
 * its own nginx on loopback. Prints one JSON line.
 *
 *   node capacity.js URL_HOST PATH CERT KEY CA CONCURRENCY SECONDS MAX_REQUESTS
 */
import * as fs from "fs";
import * as https from "https";

export interface LoadResult {
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  readonly seconds: number;
  readonly rps: number;
  readonly statuses: Record<string, number>;
}

/** Requests per second of successful responses; 0 when nothing was measured. */
export function rate(ok: number, ms: number): number {
  return ms > 0 ? Math.round((ok * 1000 * 10) / ms) / 10 : 0;
}

export function capacity(
  host: string,
  urlPath: string,
  tls: { cert: string; key: string; ca: string },
  concurrency: number,
  seconds: number,
  maxRequests: number,
): Promise<LoadResult> {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: concurrency,
    cert: fs.readFileSync(tls.cert),
    key: fs.readFileSync(tls.key),
    ca: fs.readFileSync(tls.ca),
  });
  const statuses: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let errors = 0;
  const start = Date.now();
  const deadline = start + seconds * 1000;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const req = https.request(
        {
          host: "127.0.0.1",
          servername: host,
          port: 443,
          path: urlPath.replace("{n}", String(i)),
          agent,
          headers: { host, "cf-connecting-ip": `198.51.100.${i % 250}` },
          timeout: 30_000,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            if ((res.statusCode ?? 0) < 300) ok++;
            else errors++;
            resolve();
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const worker = async () => {
    while (Date.now() < deadline && sent < maxRequests) {
      await one(sent++);
    }
  };
  return Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
    agent.destroy();
    const ms = Date.now() - start;
    return { requests: sent, ok, errors, seconds: ms / 1000, rps: rate(ok, ms), statuses };
  });
}

if (require.main === module) {
  const [host, urlPath, cert, key, ca, c, s, m] = process.argv.slice(2);
  capacity(host, urlPath, { cert, key, ca }, Number(c), Number(s), Number(m)).then((r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
  });
}
