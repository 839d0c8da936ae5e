/**
 * Security group rules as written in tenant configs (egress) and stack files (ingress overrides).
 * A rule opens one port (`port`) or a range (`fromPort`..`toPort`) for a protocol, to CIDR blocks
 * and/or to another panka-managed group. Protocol "-1" means all traffic, with no ports.
 */
import {z} from '../zod.js';
import {parseCidr} from './cidr.js';
import {alsoAccepts, integer, text} from './fields.js';

const port = () => integer({min: 0, max: 65_535});

export const securityGroupRuleSchema = z
	.strictObject({
		port: port().optional(),
		fromPort: port().optional(),
		toPort: port().optional(),
		protocol: alsoAccepts(
			z.preprocess(
				(v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.toLowerCase() : v),
				z.enum(['tcp', 'udp', 'icmp', '-1', 'all']),
			),
			{anyOf: [{type: 'string', pattern: '^([Tt][Cc][Pp]|[Uu][Dd][Pp]|[Ii][Cc][Mm][Pp]|-1|[Aa][Ll][Ll])$'}, {const: -1}]},
		),
		cidrBlocks: z.array(text()).optional(),
		ipv6CidrBlocks: z.array(text()).optional(),
		self: z.boolean().optional(),
		description: z.string().max(255).optional(),
	})
	.superRefine((rule, ctx) => {
		const all = rule.protocol === '-1' || rule.protocol === 'all';
		if (rule.port !== undefined && (rule.fromPort !== undefined || rule.toPort !== undefined))
			ctx.addIssue({code: 'custom', path: ['port'], message: 'give either port or fromPort/toPort, not both'});
		if (!all && rule.port === undefined && (rule.fromPort === undefined || rule.toPort === undefined))
			ctx.addIssue({
				code: 'custom',
				path: ['port'],
				message: `a ${rule.protocol} rule needs port, or fromPort and toPort`,
			});
		if (rule.fromPort !== undefined && rule.toPort !== undefined && rule.fromPort > rule.toPort)
			ctx.addIssue({code: 'custom', path: ['toPort'], message: 'toPort is below fromPort'});
		if (!rule.cidrBlocks?.length && !rule.ipv6CidrBlocks?.length && !rule.self)
			ctx.addIssue({
				code: 'custom',
				path: ['cidrBlocks'],
				message: 'a rule needs cidrBlocks, ipv6CidrBlocks or self: true',
			});
		rule.cidrBlocks?.forEach((block, index) => {
			const parsed = parseCidr(block);
			if (typeof parsed === 'string') ctx.addIssue({code: 'custom', path: ['cidrBlocks', index], message: parsed});
		});
	});

export type SecurityGroupRule = z.infer<typeof securityGroupRuleSchema>;

/** `tcp 443 from 0.0.0.0/0`: one line per rule, for plans and the workbench. */
export function describeRule(rule: SecurityGroupRule): string {
	const protocol = rule.protocol === '-1' || rule.protocol === 'all' ? 'all traffic' : rule.protocol;
	const ports = rule.port !== undefined ? ` ${rule.port}` : rule.fromPort !== undefined ? ` ${rule.fromPort}-${rule.toPort}` : '';
	const sources = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? []), ...(rule.self ? ['self'] : [])];
	return `${protocol}${ports} ${sources.join(', ')}`.trim();
}
