/** A throw-away CA for the rehearsal: stand-in HTTPS, origin, MariaDB and client certificates. */
import * as fs from "fs";
import * as path from "path";
import { must } from "./sh";

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export class Pki {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Self-signed CA named `name`. */
  ca(name: string): KeyPair {
    const p = { cert: path.join(this.dir, `${name}.crt`), key: path.join(this.dir, `${name}.key`) };
    must("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=rehearsal ${name}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-keyout",
      p.key,
      "-out",
      p.cert,
    ]);
    return p;
  }

  /** Leaf certificate signed by `ca` for DNS names / IPs (`server`) or a client (`client`). */
  leaf(ca: KeyPair, name: string, sans: readonly string[], usage: "server" | "client"): KeyPair {
    const p = { cert: path.join(this.dir, `${name}.crt`), key: path.join(this.dir, `${name}.key`) };
    const csr = path.join(this.dir, `${name}.csr`);
    const ext = path.join(this.dir, `${name}.ext`);
    must("openssl", [
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-subj",
      `/CN=${sans[0] ?? name}`,
      "-keyout",
      p.key,
      "-out",
      csr,
    ]);
    const san = sans.map((s) => (/^\d+\.\d+\.\d+\.\d+$/.test(s) ? `IP:${s}` : `DNS:${s}`)).join(",");
    fs.writeFileSync(
      ext,
      ["basicConstraints=CA:FALSE", `extendedKeyUsage=${usage === "server" ? "serverAuth" : "clientAuth"}`, ...(san ? [`subjectAltName=${san}`] : [])].join(
        "\n",
      ),
    );
    must("openssl", ["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", p.cert]);
    fs.chmodSync(p.key, 0o644);
    return p;
  }
}
