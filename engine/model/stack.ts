/**
 * Stack and Service documents (`core.panka.io/v1`).
 *
 * A Stack's `spec.environments` declares the environments it deploys to (name → settings; an empty
 * entry `staging: {}` or `staging:` is enough). Declaring none keeps one environment, named by
 * `labels.environment` or `default`. `spec.promote` names the variables `panka promote` carries from
 * one environment to the next (image tags, code versions); everything else stays per environment.
 *
 * A Stack's `spec.networking.securityGroup` adds rules to the tenant default (it never removes
 * them); a Service's `spec.dependsOn` names other services of the same stack, and makes each of its
 * components wait for all of theirs.
 */
import {z} from '../zod.js';
import {boolean, labelsSchema, name, tagsSchema, variableName, variablesSchema} from './fields.js';
import {securityGroupRuleSchema} from './security-group.js';

export const coreApiVersion = 'core.panka.io/v1';

/** One declared environment: its variables sit above the services' (below PANKA_VAR_* and --var). */
export const environmentSettingsSchema = z.strictObject({
	description: z.string().optional(),
	/** Applying, promoting to or destroying it needs a confirmation naming it (`--yes` alone is refused). */
	protected: boolean().optional(),
	variables: variablesSchema.optional(),
	/** Tags on every resource of this environment (over the stack's labels, under a component's own tags). */
	tags: tagsSchema.optional(),
});
export type EnvironmentSettings = z.output<typeof environmentSettingsSchema>;

export const environmentsSchema = z.record(
	name('environment'),
	z.preprocess((value) => value ?? {}, environmentSettingsSchema),
);

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
			environments: environmentsSchema.optional(),
			/** Variables `panka promote <from> <to>` takes from what `<from>` has deployed. */
			promote: z.array(variableName()).optional(),
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
