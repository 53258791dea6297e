/**
 * Releases for the stand-in download: the real Matomo tarball when one is
 * given, and small signed stand-in trees (stub releases) that exercise the
 * payload's download, signature check, extraction and refusals without Matomo.
 */
import * as fs from "fs";
import * as path from "path";
import { must, run } from "./sh";

/** A throw-away GnuPG signing key in its own home. */
export class SigningKey {
  readonly fingerprint: string;
  constructor(
    readonly home: string,
    name: string,
  ) {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    must("gpg", ["--homedir", home, "--batch", "--passphrase", "", "--quick-gen-key", `${name} <rehearsal@example.invalid>`, "ed25519", "sign", "2d"], {
      timeoutMs: 60_000,
    });
    this.fingerprint = fingerprintsOf(must("gpg", ["--homedir", home, "--batch", "--with-colons", "--list-keys"]))[0];
  }

  exportPublic(file: string): void {
    fs.writeFileSync(file, must("gpg", ["--homedir", this.home, "--batch", "--armor", "--export", this.fingerprint]));
  }

  sign(file: string, asc: string): void {
    fs.rmSync(asc, { force: true });
    must("gpg", ["--homedir", this.home, "--batch", "--yes", "--armor", "--local-user", this.fingerprint, "--output", asc, "--detach-sign", file]);
  }

  close(): void {
    run("gpgconf", ["--homedir", this.home, "--kill", "all"], { timeoutMs: 10_000 });
  }
}

/** Primary-key fingerprints in `gpg --with-colons` output (the `fpr` line after each `pub`). */
export function fingerprintsOf(colons: string): string[] {
  const out: string[] = [];
  let afterPub = false;
  for (const line of colons.split("\n")) {
    const f = line.split(":");
    if (f[0] === "pub") afterPub = true;
    else if (f[0] === "fpr" && afterPub) {
      out.push(f[9]);
      afterPub = false;
    }
  }
  return out;
}

/** Fingerprint of the (first) key in an armored key file, without importing it anywhere. */
export function keyFileFingerprint(keyFile: string): string {
  const fprs = fingerprintsOf(must("gpg", ["--batch", "--with-colons", "--show-keys", keyFile]));
  if (fprs.length === 0) throw new Error(`--release-key ${keyFile}: no OpenPGP key in the file (pass the armored public key that signed the release)`);
  return fprs[0];
}

/** The version recorded in a release tarball's core/Version.php. */
export function tarballVersion(tarball: string): string {
  const php = must("tar", ["-xzOf", tarball, "matomo/core/Version.php"], { timeoutMs: 120_000 });
  const m = /\sVERSION\s*=\s*'([^']+)'/.exec(php);
  if (!m) throw new Error(`--release ${tarball}: matomo/core/Version.php has no VERSION (is this a Matomo release tarball?)`);
  return m[1];
}

/**
 * A stub release: the files the payload touches in a Matomo tree, PHP entry
 * points that only say what they are. Not Matomo; it lets the frontend's
 * nginx, PHP-FPM and provisioning run where no release is available.
 */
export function buildStubRelease(dir: string, version: string): string {
  const tree = path.join(dir, `stub-${version}`, "matomo");
  fs.rmSync(path.dirname(tree), { recursive: true, force: true });
  const put = (rel: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    fs.writeFileSync(path.join(tree, rel), content);
  };
  put("core/Version.php", `<?php\nnamespace Piwik;\nfinal class Version\n{\n    const VERSION = '${version}';\n}\n`);
  put("index.php", '<?php\necho "rehearsal stub release (not Matomo): index\\n";\n');
  put("matomo.php", '<?php\necho "rehearsal stub release (not Matomo): tracker\\n";\n');
  put("piwik.php", "<?php\nrequire __DIR__ . '/matomo.php';\n");
  put("js/index.php", '<?php\necho "stub\\n";\n');
  put("matomo.js", "/* stub */\n");
  put("piwik.js", "/* stub */\n");
  put("misc/user/index.html", "\n");
  put("config/global.ini.php", "; stub\n");
  put("tmp/.keep", "");
  const tarball = path.join(dir, `matomo-${version}.tar.gz`);
  must("tar", ["-czf", tarball, "-C", path.dirname(tree), "matomo"]);
  return tarball;
}
