/**
 * The original tool's forms of a DynamoDB spec, accepted and rewritten (engine/kinds/legacy-form.ts):
 * a GSI `projection` written as a plain string, `encryption.kmsKey`, and `tableName`.
 */
import type {PathSegment} from '../../load/yaml-source.js';
import {derivedNameForm, type Edit, isMapping, type LegacyForm, type LegacyRewrite, valueAt} from '../legacy-form.js';

/** GSI `projection: ALL | KEYS_ONLY | INCLUDE` (with `nonKeyAttributes` beside it) → `projection: {type, nonKeyAttributes?}`. */
const plainProjection: LegacyForm = {
	find(document) {
		const indexes = valueAt(document, ['spec', 'globalSecondaryIndexes']);
		if (!Array.isArray(indexes)) return [];
		return indexes.flatMap((index, position): LegacyRewrite[] => {
			if (!isMapping(index) || typeof index.projection !== 'string') return [];
			const at: PathSegment[] = ['spec', 'globalSecondaryIndexes', position];
			const beside = index.nonKeyAttributes;
			const form = beside === undefined ? `{type: ${index.projection}}` : `{type: ${index.projection}, nonKeyAttributes: ${flow(beside)}}`;
			return [
				{
					path: [...at, 'projection'],
					message: `projection: ${index.projection} (a plain string${beside === undefined ? '' : ' with nonKeyAttributes beside it'}) is deprecated: write projection: ${form}`,
					edits: [
						{op: 'wrap', path: [...at, 'projection'], key: 'type'},
						...(beside === undefined
							? []
							: [{op: 'move', from: [...at, 'nonKeyAttributes'], to: [...at, 'projection', 'nonKeyAttributes']} as Edit]),
					],
				},
			];
		});
	},
};

/** `encryption.kmsKey` → `encryption.kmsKeyId`. */
const kmsKey: LegacyForm = {
	find(document) {
		if (
			valueAt(document, ['spec', 'encryption', 'kmsKey']) === undefined ||
			valueAt(document, ['spec', 'encryption', 'kmsKeyId']) !== undefined
		)
			return [];
		return [
			{
				path: ['spec', 'encryption', 'kmsKey'],
				message: 'encryption.kmsKey is deprecated: write encryption.kmsKeyId',
				edits: [{op: 'move', from: ['spec', 'encryption', 'kmsKey'], to: ['spec', 'encryption', 'kmsKeyId']}],
			},
		];
	},
};

export const dynamoDbLegacyForms: readonly LegacyForm[] = [plainProjection, kmsKey, derivedNameForm(['spec', 'tableName'], 'table')];

/** A short value in YAML flow style, for messages: `[a, b]`, `{type: ALL}`. */
function flow(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
	if (isMapping(value))
		return `{${Object.entries(value)
			.map(([k, v]) => `${k}: ${flow(v)}`)
			.join(', ')}}`;
	return typeof value === 'string' && /^[\w./-]+$/.test(value) ? value : JSON.stringify(value);
}
