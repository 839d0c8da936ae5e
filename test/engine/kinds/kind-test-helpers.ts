/**
 * Helpers shared by the kind specs: parse-or-explain, issue lookup, and identities.
 */
import type {z} from 'zod';
import type {KindCheckContext} from '../../../engine/kinds/kind.js';
import type {NameIdentity} from '../../../engine/resolve/physical-names.js';

/** The parsed output; fails the test with every issue when the input is rejected. */
export function parseOk<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
	const result = schema.safeParse(input);
	if (!result.success) throw new Error(`expected success, got:\n${JSON.stringify(result.error.issues, null, 2)}`);
	return result.data;
}

export interface SimpleIssue {
	code: string;
	path: string;
	message: string;
	keys?: string[];
}

/** The issues of a rejected input, paths dotted (`runtime.memory`, `ports.1.name`). */
export function issuesOf(schema: z.ZodType, input: unknown): SimpleIssue[] {
	const result = schema.safeParse(input);
	if (result.success) throw new Error(`expected issues, got:\n${JSON.stringify(result.data, null, 2)}`);
	return result.error.issues.map((issue) => ({
		code: issue.code,
		path: issue.path.map(String).join('.'),
		message: issue.message,
		...('keys' in issue ? {keys: issue.keys} : {}),
	}));
}

/** The single issue at `path`; fails when there is none. */
export function issueAt(schema: z.ZodType, input: unknown, path: string): SimpleIssue {
	const issues = issuesOf(schema, input);
	const found = issues.find((issue) => issue.path === path);
	if (!found) throw new Error(`no issue at ${path}; issues:\n${JSON.stringify(issues, null, 2)}`);
	return found;
}

/** Plain parts (no hyphens): names stay readable, without the identity hash (physical-names.test.ts covers it). */
export const identity: NameIdentity = {
	tenant: 'acme',
	stack: 'shop',
	env: 'prod',
	component: 'api',
};

const longName = (prefix: string) => `${prefix}-${'x'.repeat(62 - prefix.length)}`;

/** Every part at the 63-character name limit. */
export const longIdentity: NameIdentity = {
	tenant: longName('tenant'),
	stack: longName('stack'),
	env: longName('env'),
	component: longName('component'),
	accountId: '123456789012',
};

/** The day the kind specs run on: runtime end-of-support warnings depend on it. */
export const specToday = new Date('2026-12-01T12:00:00Z');

/** A check context over an in-memory set of files and folders (absolute paths), on `specToday`. */
export function fakeFolder(serviceDir: string, files: string[], directories: string[]): KindCheckContext {
	return {
		serviceDir,
		today: specToday,
		fileExists: (path) => files.includes(path) || directories.includes(path),
		isDirectory: (path) => directories.includes(path),
	};
}
