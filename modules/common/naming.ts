import { BlueprintConfig, RegionConfig } from "../../config";

/**
 * Resource names derived from the config. Names are part of the contract with
 * existing infrastructure (many Azure names are immutable): change them only
 * with a migration plan.
 */
export class Naming {
  readonly prefix: string;
  private readonly compact: string;

  constructor(private readonly config: BlueprintConfig) {
    this.prefix = `${config.org}-${config.name}-${config.environment}`;
    this.compact = `${config.org}${config.name}${config.environment}`;
  }

  /** `<org>-<name>-<env>-<region>-<suffix>` for regional resources. */
  regional(region: RegionConfig, suffix: string): string {
    return `${this.prefix}-${region.shortName}-${suffix}`;
  }

  /** `<org>-<name>-<env>-<suffix>` for global or primary-only resources. */
  global(suffix: string): string {
    return `${this.prefix}-${suffix}`;
  }

  get keyVault(): string {
    return `${this.prefix}-kv`;
  }

  get mysqlServer(): string {
    return `${this.prefix}-mysql`;
  }

  get mysqlReplica(): string {
    return `${this.prefix}-mysql-${this.config.regions.secondary.shortName}`;
  }

  /** The MySQL server of a region at a generation: generation 1 keeps the original names. */
  mysqlServerIn(region: "primary" | "secondary", generation: number): string {
    const first = region === "primary" ? this.mysqlServer : this.mysqlReplica;
    return generation === 1 ? first : `${first}-${generation}`;
  }

  /** FQDN of the writable (source) server, which every region's Matomo uses; Azure repoints it on HA failover, so never use the IP. */
  get mysqlSourceHost(): string {
    const { source, generation } = this.config.mysql;
    return `${this.mysqlServerIn(source, generation[source])}.mysql.database.azure.com`;
  }

  /** Private DNS zone for MySQL VNet integration; must end in `.mysql.database.azure.com`. */
  get mysqlPrivateDnsZone(): string {
    return `${this.prefix}.private.mysql.database.azure.com`;
  }

  /** Storage account for the region's NFS share (3-24 lower-case alphanumerics). */
  filesAccount(region: RegionConfig): string {
    return `${this.compact}${region.shortName}nfs`;
  }
}
