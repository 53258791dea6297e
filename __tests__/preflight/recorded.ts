import * as fs from "fs";
import * as path from "path";
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { AccessToken, TokenCredential } from "@azure/identity";

const FIXTURES = path.join(__dirname, "fixtures");

/**
 * Which recorded response answers a request, by host and path (fixtures/README.md lists the APIs). Anything
 * else is unexpected: it is answered 404 and recorded, so a test can fail on it.
 */
function fixtureFor(url: URL): string | undefined {
  const p = decodeURIComponent(url.pathname);
  const q = url.searchParams;
  let m: RegExpExecArray | null;
  if (url.host === "management.azure.com") {
    if (/^\/subscriptions\/[^/]+\/providers$/.test(p)) return "azure-providers";
    if ((m = /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Features\/providers\/Microsoft\.Compute\/features\/([^/]+)$/.exec(p)))
      return `azure-feature-${m[1]}`;
    if (/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/skus$/.test(p)) {
      const loc = /^location eq '([a-z0-9]+)'$/.exec(q.get("$filter") ?? "")?.[1];
      return loc ? `azure-skus-${loc}` : undefined;
    }
    if ((m = /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/usages$/.exec(p))) return `azure-usages-${m[1]}`;
    if ((m = /^\/subscriptions\/[^/]+\/providers\/Microsoft\.DBforMySQL\/locations\/([^/]+)\/capabilities$/.exec(p))) return `azure-mysql-capabilities-${m[1]}`;
  }
  if (url.host === "api.cloudflare.com") {
    if (/^\/client\/v4\/zones\/[0-9a-f]{32}$/.test(p)) return "cloudflare-zone";
    if (/^\/client\/v4\/accounts\/[0-9a-f]{32}\/subscriptions$/.test(p)) return "cloudflare-account-subscriptions";
    if (/^\/client\/v4\/accounts\/[0-9a-f]{32}\/load_balancers\/regions$/.test(p)) return "cloudflare-lb-regions";
  }
  return undefined;
}

/** `<name>.json` answers 200; `<name>.<status>.json` answers that error status with the API's error body. `account` falls back to `good`. */
function load(account: string, name: string): { status: number; body: string } | undefined {
  for (const dir of [account, "good"]) {
    for (const status of [200, 403, 404]) {
      const file = path.join(FIXTURES, dir, status === 200 ? `${name}.json` : `${name}.${status}.json`);
      if (fs.existsSync(file)) return { status, body: fs.readFileSync(file, "utf8") };
    }
  }
  return undefined;
}

export interface RecordedAccount {
  readonly azureHttpClient: HttpClient;
  readonly cloudflareFetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly credential: TokenCredential;
  /** Every request made, as `METHOD url`. */
  readonly requests: string[];
  /** Requests no fixture answers, or sent without credentials or to another subscription. */
  readonly unexpected: string[];
}

/** Serves one account's recorded responses to the SDK clients; nothing leaves the process. */
export function recordedAccount(account: string, subscriptionId: string): RecordedAccount {
  const requests: string[] = [];
  const unexpected: string[] = [];
  const answer = (method: string, url: URL, authorization: string | undefined) => {
    requests.push(`${method} ${url.href}`);
    const name = fixtureFor(url);
    const found = name && method === "GET" ? load(account, name) : undefined;
    if (!found) unexpected.push(`${method} ${url.href}`);
    if (authorization !== "Bearer recorded-token") unexpected.push(`no bearer token on ${url.href}`);
    if (url.host === "management.azure.com" && !url.pathname.startsWith(`/subscriptions/${subscriptionId}/`))
      unexpected.push(`other subscription: ${url.href}`);
    return found ?? { status: 404, body: JSON.stringify({ error: { code: "NotRecorded", message: `no fixture for ${url.pathname}` } }) };
  };
  return {
    requests,
    unexpected,
    credential: { getToken: async (): Promise<AccessToken> => ({ token: "recorded-token", expiresOnTimestamp: Date.now() + 3_600_000 }) },
    azureHttpClient: {
      async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
        const { status, body } = answer(request.method, new URL(request.url), request.headers.get("authorization"));
        return { request, status, headers: createHttpHeaders({ "content-type": "application/json; charset=utf-8" }), bodyAsText: body };
      },
    },
    cloudflareFetch: async (input, init) => {
      const url = new URL(typeof input === "string" || input instanceof URL ? input.toString() : input.url);
      const headers = new Headers(init?.headers);
      const { status, body } = answer(init?.method ?? "GET", url, headers.get("authorization") ?? undefined);
      return new Response(body, { status, headers: { "content-type": "application/json" } });
    },
  };
}
