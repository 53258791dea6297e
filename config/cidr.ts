/** Minimal IPv4 CIDR arithmetic for config validation and subnet carving. */
export interface Cidr {
  readonly network: number;
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const ip = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  // A host address with a prefix (10.0.0.5/16) is almost always a typo: reject it.
  if ((ip & mask) >>> 0 !== ip) return undefined;
  return { network: ip, prefix };
}

export function formatCidr(c: Cidr): string {
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

/** Whether `inner` lies wholly inside `outer` (a /32 for a single address). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrsOverlap(outer, inner);
}

/** The `index`-th subnet of `prefix` length inside `parent`. */
export function subnetOf(parent: Cidr, prefix: number, index: number): Cidr {
  if (prefix < parent.prefix) throw new Error(`subnet /${prefix} is larger than its parent /${parent.prefix}`);
  const size = 2 ** (32 - prefix);
  if ((index + 1) * size > 2 ** (32 - parent.prefix)) throw new Error(`subnet #${index} of /${prefix} does not fit in ${formatCidr(parent)}`);
  return { network: (parent.network + index * size) >>> 0, prefix };
}
