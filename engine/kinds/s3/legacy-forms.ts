/**
 * The original tool's forms of an S3 spec, accepted and rewritten (engine/kinds/legacy-form.ts):
 * `bucket.name`, `bucket.tags`, and `cors` written as one flat rule.
 */
import {derivedNameForm, type Edit, isMapping, type LegacyForm, valueAt} from '../legacy-form.js';

/** `bucket.tags` → `tags` (the component's tags, as on every kind); tags already in `tags` win. */
const tagsOnBucket: LegacyForm = {
	find(document) {
		const bucketTags = valueAt(document, ['spec', 'bucket', 'tags']);
		if (!isMapping(bucketTags)) return [];
		const tags = valueAt(document, ['spec', 'tags']);
		const edits: Edit[] = isMapping(tags)
			? [
					...Object.keys(bucketTags)
						.filter((key) => !(key in tags))
						.map((key): Edit => ({op: 'move', from: ['spec', 'bucket', 'tags', key], to: ['spec', 'tags', key]})),
					{op: 'delete', path: ['spec', 'bucket', 'tags']},
				]
			: [{op: 'move', from: ['spec', 'bucket', 'tags'], to: ['spec', 'tags']}];
		return [{path: ['spec', 'bucket', 'tags'], message: 'bucket.tags is deprecated: write the tags as spec.tags, as on every kind', edits}];
	},
};

const corsRuleKeys = ['allowedOrigins', 'allowedMethods', 'allowedHeaders', 'exposeHeaders', 'maxAgeSeconds'];

/** `cors` as one flat rule → `cors: {rules: [rule]}`. */
const flatCors: LegacyForm = {
	find(document) {
		const cors = valueAt(document, ['spec', 'cors']);
		if (!isMapping(cors) || 'rules' in cors || !corsRuleKeys.some((key) => key in cors)) return [];
		return [
			{
				path: ['spec', 'cors'],
				message: `cors written as one flat rule is deprecated: write cors: {rules: [{${Object.keys(cors).join(', ')}}]} (a list of rules)`,
				edits: [
					{op: 'wrap-in-list', path: ['spec', 'cors']},
					{op: 'wrap', path: ['spec', 'cors'], key: 'rules'},
				],
			},
		];
	},
};

export const s3LegacyForms: readonly LegacyForm[] = [derivedNameForm(['spec', 'bucket', 'name'], 'bucket'), tagsOnBucket, flatCors];
