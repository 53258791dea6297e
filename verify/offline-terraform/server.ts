/**
 * Serves one stand-in provider per provider address over gRPC on a unix socket,
 * and describes them in the TF_REATTACH_PROVIDERS format Terraform accepts for
 * providers it did not start itself (https://developer.hashicorp.com/terraform/plugin/debugging#running-terraform-with-a-provider-in-debug-mode).
 * Terraform then skips installing and launching those providers.
 */
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProviderSchema, SchemaAttribute, SchemaBlock } from "../schema/validator";
import { applyResource, openEphemeral, planResource, readDataSource, readResource, ReplaceTable, PathStep } from "./standin";
import { blockShape, fromJson, fromMsgpack, toMsgpack, Value } from "./values";

const PROTO = [path.join(__dirname, "tfplugin6.proto"), path.join(__dirname, "../../../verify/offline-terraform/tfplugin6.proto")].find((p) =>
  fs.existsSync(p),
);

type Schemas = ProviderSchema & { ephemeral_resource_schemas?: Record<string, { version?: number; block: SchemaBlock }> };
type Wire = { msgpack?: Uint8Array; json?: Uint8Array } | null | undefined;
interface Diagnostic {
  severity: number;
  summary: string;
  detail?: string;
}

/** What a plan answered, so a run can say which attribute forced a replacement. */
export interface ReplaceRecord {
  type: string;
  name: string;
  paths: string[];
}

export interface StandInOptions {
  replaceTable: ReplaceTable;
  fixtures: Record<string, Record<string, Value>>;
}

function nesting(mode: string): number {
  return ({ single: 1, list: 2, set: 3, map: 4, group: 5 } as Record<string, number>)[mode] ?? 0;
}

function wireAttribute(name: string, a: SchemaAttribute): unknown {
  return {
    name,
    type: a.nested_type ? Buffer.alloc(0) : Buffer.from(JSON.stringify(a.type ?? "dynamic")),
    nested_type: a.nested_type
      ? { attributes: Object.entries(a.nested_type.attributes).map(([n, x]) => wireAttribute(n, x)), nesting: nesting(a.nested_type.nesting_mode) }
      : undefined,
    required: !!a.required,
    optional: !!a.optional,
    computed: !!a.computed,
    sensitive: !!a.sensitive,
    deprecated: !!a.deprecated,
    write_only: !!a.write_only,
  };
}

function wireBlock(b: SchemaBlock): unknown {
  return {
    attributes: Object.entries(b.attributes ?? {})
      .sort()
      .map(([n, a]) => wireAttribute(n, a)),
    block_types: Object.entries(b.block_types ?? {})
      .sort()
      .map(([n, t]) => ({
        type_name: n,
        block: wireBlock(t.block),
        nesting: nesting(t.nesting_mode),
        min_items: t.min_items ?? 0,
        max_items: t.max_items ?? 0,
      })),
  };
}

function wireSchemas(m: Record<string, { version?: number; block: SchemaBlock }> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m ?? {}).map(([k, s]) => [k, { version: s.version ?? 0, block: wireBlock(s.block) }]));
}

function wirePath(p: PathStep[]): unknown {
  return { steps: p.map((s) => (typeof s === "number" ? { element_key_int: s } : { attribute_name: s })) };
}

/** The gRPC service implementation of one stand-in provider. */
export class StandInProvider {
  subscriptionId = "00000000-0000-0000-0000-000000000000";
  readonly replaced: ReplaceRecord[] = [];
  private opened = 0;

  constructor(
    readonly address: string,
    readonly schema: Schemas,
    readonly options: StandInOptions,
  ) {}

  private block(kind: "resource" | "data" | "ephemeral", type: string): SchemaBlock {
    const m = kind === "resource" ? this.schema.resource_schemas : kind === "data" ? this.schema.data_source_schemas : this.schema.ephemeral_resource_schemas;
    const s = m?.[type];
    if (!s) throw new Error(`${this.address}: no ${kind} schema for ${type}; add it to schemas/types.json and run node scripts/refresh-schemas.js`);
    return s.block;
  }

  private decode(v: Wire, block: SchemaBlock): Value {
    const shape = blockShape(block);
    if (v?.json && v.json.length) return fromJson(v.json, shape);
    return fromMsgpack(v?.msgpack, shape);
  }

  private encode(v: Value, block: SchemaBlock): { msgpack: Uint8Array } {
    return { msgpack: toMsgpack(v, blockShape(block)) };
  }

  /** Handlers keyed by RPC name; each takes the decoded request and returns the response object. */
  handlers(): Record<string, (req: Record<string, unknown>) => unknown> {
    const caps = { plan_destroy: false, get_provider_schema_optional: false, move_resource_state: false };
    const none = { diagnostics: [] as Diagnostic[] };
    return {
      GetMetadata: () => ({
        server_capabilities: caps,
        diagnostics: [],
        resources: Object.keys(this.schema.resource_schemas ?? {}).map((type_name) => ({ type_name })),
        data_sources: Object.keys(this.schema.data_source_schemas ?? {}).map((type_name) => ({ type_name })),
        ephemeral_resources: Object.keys(this.schema.ephemeral_resource_schemas ?? {}).map((type_name) => ({ type_name })),
      }),
      GetProviderSchema: () => ({
        provider: { version: 0, block: wireBlock(this.schema.provider?.block ?? {}) },
        resource_schemas: wireSchemas(this.schema.resource_schemas),
        data_source_schemas: wireSchemas(this.schema.data_source_schemas),
        ephemeral_resource_schemas: wireSchemas(this.schema.ephemeral_resource_schemas),
        server_capabilities: caps,
        diagnostics: [],
      }),
      ValidateProviderConfig: () => none,
      ValidateResourceConfig: () => none,
      ValidateDataResourceConfig: () => none,
      ValidateEphemeralResourceConfig: () => none,
      GetFunctions: () => none,
      StopProvider: () => ({ Error: "" }),
      ConfigureProvider: (req) => {
        const cfg = this.decode(req.config as Wire, this.schema.provider?.block ?? {}) as Record<string, Value> | null;
        if (cfg && typeof cfg.subscription_id === "string") this.subscriptionId = cfg.subscription_id;
        return none;
      },
      UpgradeResourceState: (req) => {
        const type = req.type_name as string;
        const block = this.block("resource", type);
        const raw = (req.raw_state as { json?: Uint8Array } | undefined)?.json;
        const state = raw && raw.length ? fromJson(raw, blockShape(block)) : null;
        return { upgraded_state: this.encode(state, block), diagnostics: [] };
      },
      ReadResource: (req) => {
        const type = req.type_name as string;
        const block = this.block("resource", type);
        const state = readResource(type, this.decode(req.current_state as Wire, block));
        return { new_state: this.encode(state, block), diagnostics: [], private: req.private };
      },
      PlanResourceChange: (req) => {
        const type = req.type_name as string;
        const block = this.block("resource", type);
        const prior = this.decode(req.prior_state as Wire, block);
        const result = planResource(
          this.options.replaceTable,
          type,
          block,
          prior,
          this.decode(req.proposed_new_state as Wire, block),
          this.decode(req.config as Wire, block),
        );
        if (result.requiresReplace.length) {
          const name = prior && typeof prior === "object" && !Array.isArray(prior) ? String((prior as Record<string, Value>).name ?? "") : "";
          this.replaced.push({ type, name, paths: result.requiresReplace.map((p) => p.join(".")) });
        }
        return {
          planned_state: this.encode(result.planned, block),
          requires_replace: result.requiresReplace.map(wirePath),
          planned_private: req.prior_private,
          diagnostics: [],
        };
      },
      ApplyResourceChange: (req) => {
        const type = req.type_name as string;
        const block = this.block("resource", type);
        const state = applyResource(type, block, this.decode(req.planned_state as Wire, block), this.subscriptionId);
        return { new_state: this.encode(state, block), private: req.planned_private, diagnostics: [] };
      },
      ReadDataSource: (req) => {
        const type = req.type_name as string;
        const block = this.block("data", type);
        const state = readDataSource(type, block, this.decode(req.config as Wire, block), this.options.fixtures, this.subscriptionId);
        return { state: this.encode(state, block), diagnostics: [] };
      },
      OpenEphemeralResource: (req) => {
        const type = req.type_name as string;
        const block = this.block("ephemeral", type);
        const result = openEphemeral(type, block, this.decode(req.config as Wire, block), `${type}#${++this.opened}`);
        return { result: this.encode(result, block), diagnostics: [] };
      },
      RenewEphemeralResource: () => none,
      CloseEphemeralResource: () => none,
    };
  }
}

let service: grpc.ServiceDefinition | undefined;
function providerService(): grpc.ServiceDefinition {
  if (service) return service;
  if (!PROTO) throw new Error("tfplugin6.proto not found beside the stand-in sources");
  const def = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: Number, defaults: false, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { tfplugin6: { Provider: { service: grpc.ServiceDefinition } } };
  service = pkg.tfplugin6.Provider.service;
  return service;
}

export interface RunningStandIns {
  /** Value for TF_REATTACH_PROVIDERS. */
  reattach: string;
  providers: StandInProvider[];
  close(): Promise<void>;
}

/** Starts one server per provider address, each on `<dir>/<name>.sock`. */
export async function startStandIns(schemas: Record<string, Schemas>, options: StandInOptions, dir: string): Promise<RunningStandIns> {
  const servers: grpc.Server[] = [];
  const providers: StandInProvider[] = [];
  const reattach: Record<string, unknown> = {};
  for (const [address, schema] of Object.entries(schemas)) {
    const provider = new StandInProvider(address, schema, options);
    const server = new grpc.Server();
    const impl: grpc.UntypedServiceImplementation = {};
    for (const [rpc, fn] of Object.entries(provider.handlers())) {
      impl[rpc] = (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        try {
          cb(null, fn(call.request));
        } catch (err) {
          const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
          cb(null, { diagnostics: [{ severity: 1, summary: `stand-in ${address} ${rpc} failed`, detail: msg }] });
        }
      };
    }
    server.addService(providerService(), impl);
    const socket = path.join(dir, `${address.split("/").pop()}.sock`);
    fs.rmSync(socket, { force: true });
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
    );
    servers.push(server);
    providers.push(provider);
    reattach[address] = { Protocol: "grpc", ProtocolVersion: 6, Pid: process.pid, Test: true, Addr: { Network: "unix", String: socket } };
  }
  return {
    reattach: JSON.stringify(reattach),
    providers,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.tryShutdown(() => resolve()))));
    },
  };
}
