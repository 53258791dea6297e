import { check, PolicyRule } from "../rule";

export const networkSubnetEgress: PolicyRule = {
  id: "BP-NET-3",
  level: "error",
  resourceTypes: ["azurerm_subnet"],
  description: "Subnets must turn off Azure's default outbound access.",
  explanation: "Egress goes through the load balancer's zone-redundant outbound rule, with known IPs; implicit outbound is being retired by Azure.",
  evaluate: ({ attributes: a }) => check(a.default_outbound_access_enabled === false),
};
