/**
 * JSON Schema for panka YAML, generated from the same zod schemas the loader validates with, so
 * editors (yaml-language-server: `# yaml-language-server: $schema=…`) and panka never disagree.
 *
 * Two widenings make the schema describe what users may *write* rather than what panka sees after
 * resolution: every number/integer/boolean also accepts a string (numeric strings and `${VAR}`
 * templates are coerced at load time), and the combined schema dispatches on `kind` with if/then,
 * so an editor reports the errors of the right kind only.
 */
import {z} from '../zod.js';
import {componentsApiVersion} from '../kinds/kind.js';
import {getKind, kindNames} from '../kinds/registry.js';
import {alsoAcceptedForms, componentEnvironmentsSchema, componentMetadataSchema} from '../model/fields.js';
import {serviceSchema, stackSchema} from '../model/stack.js';
import {tenantConfigSchema} from '../model/tenant-config.js';

export const schemaId = 'https://panka.dev/schema/v1';
type JsonSchema = Record<string, unknown>;

export const documentKindNames = ['Stack', 'Service', 'TenantConfig', ...kindNames] as const;

function documentSchema(kind: string): z.ZodType | undefined {
	if (kind === 'Stack') return stackSchema;
	if (kind === 'Service') return serviceSchema;
	if (kind === 'TenantConfig') return tenantConfigSchema;
	const definition = getKind(kind);
	if (!definition) return undefined;
	return z
		.strictObject({
			apiVersion: z.literal(componentsApiVersion),
			kind: z.literal(definition.kind),
			metadata: componentMetadataSchema,
			spec: definition.spec.optional(),
			environments: componentEnvironmentsSchema.optional(),
		})
		.describe(definition.summary);
}

/** The JSON Schema of one document kind, or undefined for an unknown kind. */
export function jsonSchemaForKind(kind: string): JsonSchema | undefined {
	const schema = documentSchema(kind);
	if (!schema) return undefined;
	const widened = widenScalars(toInputJsonSchema(schema)) as JsonSchema;
	return {...widened, $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `${schemaId}/${kind}.json`, title: `panka ${kind}`};
}

/** One schema for every panka document, dispatching on `kind`. */
export function jsonSchemaForAllKinds(): JsonSchema {
	const branches = documentKindNames.map((kind) => {
		const {$schema: _s, $id: _i, title: _t, ...rest} = jsonSchemaForKind(kind) ?? {};
		// biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
		return {if: {properties: {kind: {const: kind}}, required: ['kind']}, then: rest};
	});
	return {
		$schema: 'https://json-schema.org/draft/2020-12/schema',
		$id: `${schemaId}/panka.json`,
		title: 'panka document',
		description: 'Any panka YAML document: Stack, Service, TenantConfig or a component kind.',
		type: 'object',
		required: ['apiVersion', 'kind'],
		properties: {kind: {enum: [...documentKindNames]}, apiVersion: {type: 'string'}},
		allOf: branches,
	};
}

/** zod → JSON Schema of the written (input) form, with the extra forms of `alsoAccepts`. */
function toInputJsonSchema(schema: z.ZodType): JsonSchema {
	return z.toJSONSchema(schema, {
		io: 'input',
		unrepresentable: 'any',
		target: 'draft-2020-12',
		override: (ctx) => {
			const extra = alsoAcceptedForms.get(ctx.zodSchema as unknown as z.ZodType);
			if (!extra) return;
			const own = {...ctx.jsonSchema};
			for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
			const extraSchema = extra instanceof z.ZodType ? stripMeta(toInputJsonSchema(extra)) : extra;
			Object.assign(ctx.jsonSchema, {anyOf: [own, extraSchema]});
		},
	}) as JsonSchema;
}

function stripMeta({$schema: _s, ...rest}: JsonSchema): JsonSchema {
	return rest;
}

const templated = {type: 'string', pattern: '^\\s*[+-]?[0-9.]+\\s*$|\\$\\{'};
const templatedBoolean = {type: 'string', pattern: '^([Tt]rue|TRUE|[Ff]alse|FALSE|[Yy]es|[Nn]o|[Oo]n|[Oo]ff)$|\\$\\{'};

function widenScalars(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(widenScalars);
	if (!node || typeof node !== 'object') return node;
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(node)) out[key] = widenScalars(value);
	const type = out.type;
	if (type === 'number' || type === 'integer' || type === 'boolean') {
		const {description, default: defaultValue, ...scalar} = out;
		return {
			...(description !== undefined ? {description} : {}),
			...(defaultValue !== undefined ? {default: defaultValue} : {}),
			anyOf: [scalar, type === 'boolean' ? templatedBoolean : templated],
		};
	}
	return out;
}
