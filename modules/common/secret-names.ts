/**
 * Key Vault secret names: the contract between the stacks that write secrets
 * and the cloud-init that reads them at boot. Renaming one breaks booting VMs.
 */
export const SECRET_NAMES = {
  /** MySQL administrator password; archiver only (creates the Matomo user, runs installs). */
  mysqlAdminPassword: "mysql-admin-password",
  /** Password of the least-privilege `matomo` MySQL user; every VM. */
  matomoDbPassword: "matomo-db-password",
  /** Matomo `[General] salt`, identical on every server. */
  matomoSalt: "matomo-salt",
  /** First Super User's password; archiver only (first install). */
  superUserPassword: "matomo-superuser-password",
  /** Cloudflare Origin CA certificate (PEM); frontends. */
  originCertificate: "origin-certificate-pem",
  /** Private key of the origin certificate (PEM); frontends. */
  originPrivateKey: "origin-private-key-pem",
} as const;

/** MySQL user names. */
export const DB_USERS = { admin: "mysqladmin", matomo: "matomo" } as const;
/** The Matomo database. */
export const DB_NAME = "matomo";
