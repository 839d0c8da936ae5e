/** How a tenant's private subnets reach the internet: one NAT gateway, or one per availability zone. */
export const natTypes = ['single', 'per-az'] as const;
export type NatType = (typeof natTypes)[number];
