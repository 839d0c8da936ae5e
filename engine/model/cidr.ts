/**
 * IPv4 CIDR arithmetic for tenant networking: parsing, containment, overlap and carving subnets.
 * Pure integer arithmetic on 32-bit addresses (held in JS numbers, never bitwise-signed).
 */

export interface Cidr {
	/** Network address as an unsigned 32-bit integer. */
	network: number;
	prefix: number;
	text: string;
}

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parse `a.b.c.d/n`; returns a reason string when it is not a valid network CIDR. */
export function parseCidr(text: string): Cidr | string {
	const match = cidrPattern.exec(text.trim());
	if (!match) return `"${text}" is not an IPv4 CIDR block like 10.0.0.0/16`;
	const octets = match.slice(1, 5).map(Number);
	const prefix = Number(match[5]);
	if (octets.some((o) => o > 255)) return `"${text}" has an octet above 255`;
	if (prefix > 32) return `"${text}" has a prefix length above 32`;
	const address = octets.reduce((acc, o) => acc * 256 + o, 0);
	const size = 2 ** (32 - prefix);
	const network = Math.floor(address / size) * size;
	if (network !== address) return `"${text}" has host bits set; the network address is ${formatAddress(network)}/${prefix}`;
	return {network, prefix, text: `${formatAddress(network)}/${prefix}`};
}

export function formatAddress(address: number): string {
	return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

export function cidrSize(cidr: Cidr): number {
	return 2 ** (32 - cidr.prefix);
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
	return (
		inner.prefix >= outer.prefix && inner.network >= outer.network && inner.network + cidrSize(inner) <= outer.network + cidrSize(outer)
	);
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
	return a.network < b.network + cidrSize(b) && b.network < a.network + cidrSize(a);
}

/**
 * The `index`-th subnet of length `prefix` inside `parent`, e.g. subnet(10.0.0.0/16, 24, 10) is
 * 10.0.10.0/24. Returns undefined when it would fall outside the parent.
 */
export function subnetAt(parent: Cidr, prefix: number, index: number): Cidr | undefined {
	if (prefix < parent.prefix || prefix > 32) return undefined;
	const size = 2 ** (32 - prefix);
	if (index < 0 || (index + 1) * size > cidrSize(parent)) return undefined;
	const network = parent.network + index * size;
	return {network, prefix, text: `${formatAddress(network)}/${prefix}`};
}
