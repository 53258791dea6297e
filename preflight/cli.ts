import { DefaultAzureCredential } from "@azure/identity";
import { ConfigError, loadEnvironment } from "../config";
import { CHECKS, NotLoggedIn, runPreflight, type PreflightDeps } from "./run";
import { formatJson, formatText, summarize } from "./report";

/** Answers with the caller's public IPv4 address as plain text. */
export const EGRESS_ECHO_URL = "https://api.ipify.org";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

interface Args {
  only?: string[];
  json: boolean;
  egressIp?: string;
  help: boolean;
}

const USAGE = "usage: npm run preflight -- [--only <check-id,...>] [--json] [--egress-ip <ipv4>]   (environment: MATOMO_ENV, default 'example')";

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (!v) throw new Error(`${a.split("=")[0]} needs a value. ${USAGE}`);
      return v;
    };
    if (a === "--json") args.json = true;
    else if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--only" || a.startsWith("--only="))
      args.only = value()
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a === "--egress-ip" || a.startsWith("--egress-ip=")) args.egressIp = value();
    else throw new Error(`unknown option '${a}'. ${USAGE}`);
  }
  return args;
}

async function echoEgressIp(): Promise<string> {
  const res = await fetch(EGRESS_ECHO_URL, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${EGRESS_ECHO_URL} answered HTTP ${res.status}`);
  return (await res.text()).trim();
}

/**
 * The preflight command. `env` is the process environment; `deps` replaces the live credential, HTTP clients
 * and address lookup (tests). Returns the exit code: 0 all passed or skipped, 1 a check failed, 2 it could not run.
 */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  deps: Partial<PreflightDeps> = {},
): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.err(`preflight: ${(err as Error).message}`);
    return 2;
  }
  if (args.help) {
    io.out(`${USAGE}\nchecks: ${CHECKS.map((c) => c.id).join(", ")}`);
    return 0;
  }
  const unknown = (args.only ?? []).filter((id) => !CHECKS.some((c) => c.id === id));
  if (unknown.length > 0) {
    io.err(`preflight: unknown check ${unknown.map((u) => `'${u}'`).join(", ")} in --only; known: ${CHECKS.map((c) => c.id).join(", ")}`);
    return 2;
  }
  const checks = args.only ? CHECKS.filter((c) => args.only!.includes(c.id)) : CHECKS;
  const environment = env.MATOMO_ENV ?? "example";
  let config;
  try {
    config = loadEnvironment(environment);
  } catch (err) {
    io.err(err instanceof ConfigError ? err.message : `preflight: ${(err as Error).message}`);
    return 2;
  }
  const fixedIp = args.egressIp ?? env.PREFLIGHT_EGRESS_IP;
  const full: PreflightDeps = {
    credential: deps.credential ?? new DefaultAzureCredential({ tenantId: config.azure.tenantId }),
    azureHttpClient: deps.azureHttpClient,
    cloudflareToken: deps.cloudflareToken ?? env.CLOUDFLARE_API_TOKEN,
    cloudflareFetch: deps.cloudflareFetch,
    egressIp: fixedIp ? async () => fixedIp : (deps.egressIp ?? echoEgressIp),
  };
  let results;
  try {
    results = await runPreflight(environment, config, checks, full);
  } catch (err) {
    io.err(err instanceof NotLoggedIn ? err.message : `preflight: ${(err as Error).message?.split("\n")[0]}`);
    return 2;
  }
  io.out(args.json ? formatJson(environment, results) : formatText(environment, results));
  return summarize(results).failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, { out: (t) => console.log(t), err: (t) => console.error(t) }).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`preflight: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      process.exit(2);
    },
  );
}
