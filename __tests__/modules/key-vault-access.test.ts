import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleSynth, resourcesOf } from "../helpers";
import { onPath } from "../tools";

/** Runs the synthesized wait command with a stub `az` whose answers are given per call. */
function runWait(command: string, answers: Array<{ code: number; stderr?: string }> | "no-az") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kv-wait-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  if (answers !== "no-az") {
    fs.writeFileSync(path.join(dir, "answers"), answers.map((a) => `${a.code}|${a.stderr ?? ""}`).join("\n") + "\n");
    fs.writeFileSync(
      path.join(bin, "az"),
      `#!/bin/sh\nn=$(cat "${dir}/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${dir}/count"\nline=$(sed -n "\${n}p" "${dir}/answers"); [ -n "$line" ] || line=$(tail -n1 "${dir}/answers")\necho "\${line#*|}" >&2; exit "\${line%%|*}"\n`,
      { mode: 0o755 },
    );
  }
  // Terraform unescapes $${ and %%{ before running the command; so does this.
  const script = command.replace(/([$%])\1\{/g, "$1{");
  const r = spawnSync("/bin/sh", ["-c", script], {
    env: { PATH: answers === "no-az" ? "/usr/bin:/bin" : `${bin}:/usr/bin:/bin`, VAULT: "kv-test", ATTEMPTS: "3", INTERVAL: "0" },
    encoding: "utf8",
  });
  const calls = Number(fs.existsSync(path.join(dir, "count")) ? fs.readFileSync(path.join(dir, "count"), "utf8") : 0);
  fs.rmSync(dir, { recursive: true, force: true });
  return { code: r.status, out: r.stdout + r.stderr, calls };
}

describe("Key Vault: the first secret write waits for the deployer's data-plane access", () => {
  let wait: any;
  let command: string;
  beforeAll(() => {
    const core = exampleSynth().stacks.core;
    wait = Object.values(resourcesOf(core, "terraform_data"))[0];
    command = wait.provisioner[0]["local-exec"].command;
  });

  test("re-runs when the role assignment is re-created, for the configured vault", () => {
    expect(wait.triggers_replace).toEqual({
      roleAssignmentId: expect.stringMatching(/^\$\{azurerm_role_assignment\.KeyVault_DeployerSecretsOfficer_[0-9A-F]+\.id\}$/),
    });
    expect(wait.provisioner[0]["local-exec"].environment).toEqual({ VAULT: "ctso-matomo-ex-kv" });
    // Shell expansions are escaped, so Terraform does not read them as its own templates.
    expect(command).not.toMatch(/(^|[^$])\$\{/);
  });
  test("succeeds once the role has propagated", () => {
    const r = runWait(command, [{ code: 1, stderr: "(Forbidden) Caller is not authorized" }, { code: 0 }]);
    expect(r).toMatchObject({ code: 0, calls: 2 });
    expect(r.out).toMatch(/reachable for the deployer after 1 retries/);
  });
  test("a firewall refusal fails at once and names the config fields", () => {
    const r = runWait(command, [{ code: 1, stderr: "(Forbidden) Client address is not authorized and caller is not a trusted service. ForbiddenByFirewall" }]);
    expect(r).toMatchObject({ code: 1, calls: 1 });
    expect(r.out).toMatch(/keyVault\.allowedCidrs.*keyVault\.runnerSubnetIds/);
  });
  test("gives up after the configured attempts with the last error", () => {
    const r = runWait(command, [{ code: 1, stderr: "(Forbidden) nope" }]);
    expect(r).toMatchObject({ code: 1, calls: 3 });
    expect(r.out).toMatch(/after 3 tries.*Key Vault Secrets Officer.*nope/);
  });
  test("without the Azure CLI it says what to install", () => {
    const r = runWait(command, "no-az");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Azure CLI \(az\) is needed/);
  });

  const terraform = onPath("terraform");
  // CI machines have Terraform (.ci/run's plan:offline needs it too): missing there is a failure, not a skip.
  if (!terraform && process.env.CI) test("terraform is on PATH in CI", () => expect(onPath("terraform")).toBe(true));
  if (!terraform) console.warn("SKIPPED: terraform not on PATH; the wait command is not run through Terraform itself");
  (terraform ? test : test.skip)(`Terraform runs the synthesized command as written${terraform ? "" : " [SKIPPED: no terraform]"}`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kv-wait-tf-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "az"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const resource = { ...wait, triggers_replace: { roleAssignmentId: "x" } };
    delete resource["//"];
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ resource: { terraform_data: { wait: resource } } }));
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
    execFileSync("terraform", ["init", "-input=false", "-no-color"], { cwd: dir, env, stdio: "pipe" });
    const out = execFileSync("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(out).toMatch(/Key Vault ctso-matomo-ex-kv: data plane reachable for the deployer after 0 retries/);
  });
});
