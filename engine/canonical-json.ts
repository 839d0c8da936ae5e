/**
 * Canonical JSON: one text for one value, whatever the order its object keys were written in.
 * The input of the desired-state hash (plan/inputs.ts) and of every "did this policy document or
 * definition change" comparison (providers, drift).
 *
 * Invariants: object keys sorted (by UTF-16 code units, as Array.prototype.sort does); object
 * members whose value is undefined dropped, array elements that are undefined written as null
 * (as JSON.stringify does); no whitespace. Pure, with no imports: any layer may use it.
 */
/** JSON with sorted object keys and undefined members dropped (see the header). */
export function canonicalJson(value: unknown): string {
	const out: string[] = [];
	writeCanonical(value, out);
	return out.join('');
}

function writeCanonical(value: unknown, out: string[]): void {
	if (value === null || typeof value !== 'object') {
		out.push(JSON.stringify(value) ?? 'null');
		return;
	}
	if (Array.isArray(value)) {
		out.push('[');
		for (let i = 0; i < value.length; i++) {
			if (i > 0) out.push(',');
			writeCanonical(value[i] === undefined ? null : value[i], out);
		}
		out.push(']');
		return;
	}
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record).sort();
	out.push('{');
	let first = true;
	for (const key of keys) {
		const member = record[key];
		if (member === undefined) continue;
		out.push(first ? JSON.stringify(key) : `,${JSON.stringify(key)}`, ':');
		first = false;
		writeCanonical(member, out);
	}
	out.push('}');
}
