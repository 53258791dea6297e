import { formatCidr, parseCidr, subnetOf } from "../../config/cidr";

/** The four subnets every region gets, carved from its address space. */
export interface SubnetPlan {
  readonly frontends: string;
  readonly archiver: string;
  readonly mysql: string;
  readonly privateEndpoints: string;
}

/**
 * Frontends get the first quarter (room for autoscale), the others 1/16 each.
 * With the /16-/22 range the config allows, the smallest subnet is a /26,
 * well above MySQL's /29 minimum for a delegated subnet.
 */
export function planSubnets(addressSpace: string): SubnetPlan {
  const parent = parseCidr(addressSpace);
  if (!parent)
    throw new Error(`addressSpace '${addressSpace}' is not an IPv4 network in CIDR form; use e.g. '10.20.0.0/20' (config: regions.<key>.addressSpace)`);
  const small = parent.prefix + 4;
  return {
    frontends: formatCidr(subnetOf(parent, parent.prefix + 2, 0)),
    archiver: formatCidr(subnetOf(parent, small, 4)),
    mysql: formatCidr(subnetOf(parent, small, 5)),
    privateEndpoints: formatCidr(subnetOf(parent, small, 6)),
  };
}
