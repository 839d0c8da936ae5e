/**
 * `panka schema [--kind K]`: the JSON Schema for panka YAML, generated from the zod schemas, for
 * editors (yaml-language-server) and CI linters.
 */
import {didYouMean, documentKindNames, jsonSchemaForAllKinds, jsonSchemaForKind} from '../../engine/index.js';
import {type CommandContext, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';

export async function schemaCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 0) throw new UsageError(`panka schema takes no arguments, got: ${args.join(' ')}`, 'use --kind K for one kind');
	if (flags.kind === undefined) {
		writeLine(context.stdout, JSON.stringify(jsonSchemaForAllKinds(), null, 2));
		return 0;
	}
	const kind = documentKindNames.find((k) => k.toLowerCase() === flags.kind?.toLowerCase());
	const schema = kind ? jsonSchemaForKind(kind) : undefined;
	if (!schema)
		throw new UsageError(
			`--kind ${flags.kind}: unknown kind${didYouMean(flags.kind, documentKindNames)}`,
			`kinds: ${documentKindNames.join(', ')}`,
		);
	writeLine(context.stdout, JSON.stringify(schema, null, 2));
	return 0;
}
