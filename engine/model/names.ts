/**
 * Names of tenants, stacks, services and components.
 *
 * The contract's naming convention is lowercase-hyphen. Names become folder names, state paths
 * (`tenants/{tenant}/v1/stacks/{stack}/{env}/`), AWS physical names and tag values, so the rule is
 * checked before any of those is built: no `..`, no `/`, no uppercase, nothing longer than 63
 * characters (the DNS-label limit, which also keeps every derived AWS name within reach).
 */

export const namePattern = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
export const maxNameLength = 63;
export const minTenantNameLength = 3;

export type NameRole = 'tenant' | 'stack' | 'service' | 'component' | 'environment';

/** Why `name` is not a valid name, or undefined when it is. */
export function nameProblem(name: string, role: NameRole): string | undefined {
	const min = role === 'tenant' ? minTenantNameLength : 1;
	if (name.length < min) return `${role} name "${name}" is shorter than ${min} characters`;
	if (name.length > maxNameLength)
		return `${role} name "${truncate(name)}" is ${name.length} characters long; the limit is ${maxNameLength}`;
	if (name.includes('/') || name.includes('\\') || name.includes('..')) return `${role} name "${name}" contains a path separator or ".."`;
	if (/[A-Z]/.test(name)) return `${role} name "${name}" contains uppercase letters`;
	if (!namePattern.test(name))
		return `${role} name "${name}" must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen`;
	if (name.includes('--')) return `${role} name "${name}" contains "--"`;
	return undefined;
}

export function isValidName(name: string, role: NameRole): boolean {
	return nameProblem(name, role) === undefined;
}

/** A suggestion that satisfies the rule: `My_Service` → `my-service`. */
export function suggestName(name: string): string {
	const cleaned = name
		.toLowerCase()
		.replace(/[^a-z0-9-]+/g, '-')
		.replace(/-+/g, '-')
		.replace(/^[^a-z]+/, '')
		.replace(/-+$/, '')
		.slice(0, maxNameLength)
		.replace(/-+$/, '');
	return cleaned || 'x';
}

function truncate(text: string): string {
	return text.length > 24 ? `${text.slice(0, 21)}...` : text;
}
