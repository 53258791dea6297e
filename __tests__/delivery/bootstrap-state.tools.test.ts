/**
 * scripts/bootstrap-state.sh: strict bash that passes shellcheck; `--dry-run`
 * prints the az commands and runs none (an `az` stub on PATH proves it); bad
 * input is refused before anything runs; against a fake `az` it creates what
 * is missing and only re-applies settings to what exists (idempotent).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../../config";
import { REPO_ROOT, tool, run } from "./support";

const SCRIPT = path.join(REPO_ROOT, "scripts", "bootstrap-state.sh");
const SUB = "11111111-2222-3333-4444-555555555555";
const DEPLOYER = "22222222-3333-4444-5555-666666666666";
const PLANNER = "33333333-4444-5555-6666-777777777777";
const ARGS = [
  "--resource-group",
  "acme-tfstate-prod",
  "--storage-account",
  "acmetfstateprod",
  "--container",
  "tfstate",
  "--subscription",
  SUB,
  "--location",
  "northeurope",
  "--deploy-principal-id",
  DEPLOYER,
  "--plan-principal-id",
  PLANNER,
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-state-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * A fake `az` first on PATH. It appends its arguments to `log`. With
 * `EXISTS=1` every `show` succeeds and every `list` query answers 1 (all
 * present); otherwise `show` fails like a missing resource and `list` answers 0.
 */
function fakeAz(name: string): { env: NodeJS.ProcessEnv; log: string } {
  const bin = path.join(work, name);
  fs.mkdirSync(bin, { recursive: true });
  const log = path.join(bin, "az.log");
  fs.writeFileSync(
    path.join(bin, "az"),
    [
      "#!/usr/bin/env bash",
      `printf '%s\\n' "$*" >>'${log}'`,
      'case " $* " in',
      '  *" show "*) [ "${EXISTS:-0}" = 1 ] && exit 0; echo "ResourceNotFound" >&2; exit 3 ;;',
      '  *" list "*) [ "${EXISTS:-0}" = 1 ] && echo 1 || echo 0; exit 0 ;;',
      "esac",
      "exit 0",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return { env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` }, log };
}
const calls = (log: string) => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : []);

test("is strict bash", () => {
  const text = fs.readFileSync(SCRIPT, "utf8");
  expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
  expect(text).toMatch(/^set -euo pipefail$/m);
  expect(fs.statSync(SCRIPT).mode & 0o111).not.toBe(0);
  expect(run("bash", ["-n", SCRIPT]).code).toBe(0);
});

const shellcheck = tool("shellcheck", "shellcheck");
shellcheck.test(`passes shellcheck${shellcheck.label}`, () => {
  const r = run("shellcheck", ["-x", "--severity=style", SCRIPT]);
  expect(r.stdout + r.stderr).toBe("");
  expect(r.code).toBe(0);
});

describe("--dry-run", () => {
  const az = fakeAz("dry");
  const r = run(SCRIPT, [...ARGS, "--allow-ip", "203.0.113.0/28", "--dry-run"], { env: az.env });
  const printed = r.stdout.split("\n").filter((l) => l.startsWith("+ az "));

  test("exits 0 and runs no az command at all", () => {
    expect(r.stderr).not.toMatch(/bootstrap-state: /);
    expect(r.code).toBe(0);
    expect(calls(az.log)).toEqual([]);
  });

  test("prints every command of a first run, each with the subscription", () => {
    const expected = [
      /^\+ az group create --name acme-tfstate-prod --location northeurope /,
      /^\+ az storage account create --name acmetfstateprod .*--kind StorageV2 --sku Standard_GZRS /,
      /^\+ az storage account update --name acmetfstateprod /,
      /^\+ az resource update .*properties\.defaultToOAuthAuthentication=true/,
      /^\+ az storage account blob-service-properties update .*--enable-versioning true --enable-delete-retention true --delete-retention-days 30 /,
      /^\+ az storage account network-rule add .*--ip-address 203\.0\.113\.0\/28/,
      /^\+ az storage container-rm create .*--name tfstate --public-access off/,
      /^\+ az lock create --name tfstate-do-not-delete --lock-type CanNotDelete .*--resource-type Microsoft\.Storage\/storageAccounts/,
      /^\+ az role assignment create --assignee-object-id 22222222-3333-4444-5555-666666666666 .*Storage\\ Blob\\ Data\\ Contributor --scope \/subscriptions\/[^ ]+\/storageAccounts\/acmetfstateprod\/blobServices\/default\/containers\/tfstate /,
      /^\+ az role assignment create --assignee-object-id 33333333-4444-5555-6666-777777777777 .*Storage\\ Blob\\ Data\\ Reader /,
    ];
    expect(printed).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(printed[i]).toMatch(re));
    for (const line of printed) expect(line).toMatch(new RegExp(`--subscription ${SUB}$`));
  });

  test("the account accepts Entra ID only, TLS 1.2+, no public blobs, and denies other networks when ranges are given", () => {
    const create = printed.find((l) => l.startsWith("+ az storage account create"))!;
    for (const flag of [
      "--allow-shared-key-access false",
      "--min-tls-version TLS1_2",
      "--allow-blob-public-access false",
      "--https-only true",
      "--default-action Deny",
    ]) {
      expect(create).toContain(flag);
    }
  });

  test("prints the backend block for the environment config", () => {
    expect(r.stdout).toMatch(/type: "azurerm",\s+resourceGroupName: "acme-tfstate-prod",\s+storageAccountName: "acmetfstateprod",\s+containerName: "tfstate"/);
  });
});

test("--env reads the names from config/environments (or says to build first)", () => {
  const prod: any = ENVIRONMENTS.prod;
  const az = fakeAz("env");
  const r = run(SCRIPT, ["--env", "prod", "--dry-run"], { env: az.env });
  expect(calls(az.log)).toEqual([]);
  if (fs.existsSync(path.join(REPO_ROOT, "dist", "config", "index.js"))) {
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`az group create --name ${prod.backend.resourceGroupName} --location ${prod.regions.secondary.location} `);
    expect(r.stdout).toContain(`--name ${prod.backend.storageAccountName} `);
    expect(r.stdout).toContain(`/containers/${prod.backend.containerName}`);
  } else {
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/npm run build/);
  }
});

test("bad input is refused before anything runs, every problem named", () => {
  const az = fakeAz("bad");
  const r = run(
    SCRIPT,
    [
      "--storage-account",
      "Not_Valid",
      "--subscription",
      "nope",
      "--location",
      "westeurope",
      "--resource-group",
      "rg",
      "--sku",
      "Standard_LRS",
      "--allow-ip",
      "0.0.0.0/0",
    ],
    { env: az.env },
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--storage-account 'Not_Valid'/);
  expect(r.stderr).toMatch(/--subscription 'nope'/);
  expect(r.stderr).toMatch(/--sku 'Standard_LRS'/);
  expect(r.stderr).toMatch(/--allow-ip '0\.0\.0\.0\/0'/);
  expect(r.stderr).toMatch(/nothing was changed/);
  expect(calls(az.log)).toEqual([]);
});

test("--help prints usage", () => {
  const r = run(SCRIPT, ["--help"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/--dry-run/);
});

describe("against a fake az (idempotent)", () => {
  test("first run creates the account, container and role assignments", () => {
    const az = fakeAz("fresh");
    const r = run(SCRIPT, ARGS, { env: { ...az.env, EXISTS: "0" } });
    expect(r.stderr).not.toMatch(/bootstrap-state: /);
    expect(r.code).toBe(0);
    const log = calls(az.log).join("\n");
    expect(log).toMatch(/^storage account create /m);
    expect(log).toMatch(/^storage container-rm create /m);
    expect(log.match(/^role assignment create /gm)).toHaveLength(2);
  });

  test("a second run creates nothing new and re-applies the settings", () => {
    const az = fakeAz("again");
    const r = run(SCRIPT, ARGS, { env: { ...az.env, EXISTS: "1" } });
    expect(r.code).toBe(0);
    const log = calls(az.log).join("\n");
    expect(log).not.toMatch(/^(storage account create|storage container-rm create|role assignment create) /m);
    expect(log).toMatch(/^storage account update .*--allow-shared-key-access false/m);
    expect(log).toMatch(/^storage account blob-service-properties update /m);
    expect(log).toMatch(/^lock create /m);
  });
});
