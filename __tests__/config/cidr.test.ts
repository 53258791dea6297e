import { cidrContains, cidrsOverlap, formatCidr, parseCidr, subnetOf } from "../../config/cidr";

const c = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
};

test("parse and format round-trip; host bits, octets over 255 and prefixes over 32 are refused", () => {
  expect(formatCidr(c("10.20.0.0/20"))).toBe("10.20.0.0/20");
  expect([parseCidr("10.0.0.5/16"), parseCidr("10.0.0.256/32"), parseCidr("10.0.0.0/33"), parseCidr("10.0.0.0")]).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
});

test("containment: a range inside another, an address inside and outside, a larger range never inside a smaller one", () => {
  expect(cidrContains(c("203.0.113.0/24"), c("203.0.113.0/28"))).toBe(true);
  expect(cidrContains(c("203.0.113.0/28"), c("203.0.113.14/32"))).toBe(true);
  expect(cidrContains(c("203.0.113.0/28"), c("203.0.113.16/32"))).toBe(false);
  expect(cidrContains(c("203.0.113.0/28"), c("203.0.113.0/24"))).toBe(false);
  expect(cidrsOverlap(c("203.0.113.0/28"), c("203.0.113.0/24"))).toBe(true);
});

test("subnets are carved in order and must fit", () => {
  expect(formatCidr(subnetOf(c("10.20.0.0/20"), 24, 2))).toBe("10.20.2.0/24");
  expect(() => subnetOf(c("10.20.0.0/20"), 24, 16)).toThrow(/does not fit in 10\.20\.0\.0\/20/);
  expect(() => subnetOf(c("10.20.0.0/24"), 20, 0)).toThrow(/larger than its parent/);
});
