/**
 * Resource tags: tenant defaultTags, then stack, service and component labels, then the kind's
 * own `tags`, then panka's identity tags, which always win and can never be overridden: the apply
 * issue finds crashed creates by them.
 */
import type {Diagnostic} from '../diagnostics.js';

export interface TagIdentity {
	tenant: string;
	stack: string;
	env: string;
	service: string;
	component: string;
}

export const reservedTagPrefixes = ['panka:', 'aws:'];
export const maxTagsPerResource = 50;

export function resourceTags(
	identity: TagIdentity,
	layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>,
): Record<string, string> {
	const tags: Record<string, string> = {};
	for (const layer of layers) {
		for (const [key, value] of Object.entries(layer ?? {})) {
			if (!reservedTagPrefixes.some((p) => key.startsWith(p))) tags[key] = value;
		}
	}
	return {...tags, ...identityTags(identity)};
}

/** panka's identity tags alone: what ownership is decided by (providers/resource-tags.ts). */
export function identityTags(identity: TagIdentity): Record<string, string> {
	return {
		'panka:tenant': identity.tenant,
		'panka:stack': identity.stack,
		'panka:env': identity.env,
		'panka:service': identity.service,
		'panka:component': identity.component,
	};
}

/** Problems with user-given tag keys (reserved prefixes) and the AWS limit of 50 tags. */
export function tagProblems(
	userKeys: readonly string[],
	total: number,
): Array<Pick<Diagnostic, 'severity' | 'message' | 'hint'> & {key?: string}> {
	const problems: Array<Pick<Diagnostic, 'severity' | 'message' | 'hint'> & {key?: string}> = [];
	for (const key of userKeys) {
		const prefix = reservedTagPrefixes.find((p) => key.startsWith(p));
		if (prefix)
			problems.push({
				key,
				severity: 'error',
				message: `tag "${key}" uses the reserved prefix "${prefix}"`,
				hint: 'panka sets panka:* tags itself and AWS reserves aws:*; choose another key',
			});
	}
	if (total > maxTagsPerResource)
		problems.push({severity: 'error', message: `${total} tags; AWS allows at most ${maxTagsPerResource} per resource`});
	return problems;
}
