/**
 * Stack and Service documents (`core.panka.io/v1`).
 *
 * A Stack's `spec.networking.securityGroup` adds rules to the tenant default (it never removes
 * them); a Service's `spec.dependsOn` names other services of the same stack, and makes each of its
 * components wait for all of theirs.
 */
import {z} from 'zod';
import {labelsSchema, name, variablesSchema} from './fields.js';
import {securityGroupRuleSchema} from './security-group.js';

export const coreApiVersion = 'core.panka.io/v1';

export const stackSchema = z.strictObject({
	apiVersion: z.literal(coreApiVersion),
	kind: z.literal('Stack'),
	metadata: z.strictObject({
		name: name('stack'),
		tenant: name('tenant').optional(),
		description: z.string().optional(),
		labels: labelsSchema.optional(),
	}),
	spec: z
		.strictObject({
			variables: variablesSchema.optional(),
			networking: z
				.strictObject({
					securityGroup: z
						.strictObject({
							ingress: z.array(securityGroupRuleSchema).optional(),
							egress: z.array(securityGroupRuleSchema).optional(),
						})
						.optional(),
				})
				.optional(),
		})
		.default({}),
});

export const serviceSchema = z.strictObject({
	apiVersion: z.literal(coreApiVersion),
	kind: z.literal('Service'),
	metadata: z
		.strictObject({
			name: name('service').optional(),
			stack: name('stack').optional(),
			description: z.string().optional(),
			labels: labelsSchema.optional(),
		})
		.default({}),
	spec: z
		.strictObject({
			variables: variablesSchema.optional(),
			dependsOn: z.array(name('service')).optional(),
		})
		.default({}),
});

export type StackDocument = z.output<typeof stackSchema>;
export type ServiceDocument = z.output<typeof serviceSchema>;
