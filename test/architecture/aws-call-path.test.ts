/**
 * The engine sends AWS requests one way (engine/aws/call.ts): every SDK `.send(` in engine/ and
 * source/ is a request the call path runs, passing on the options it is given (the abort signal):
 * either written inside an `awsCall`/`awsCallUnlessMissing`, or an AwsRequest `(options) =>
 * client.send(command, options)` handed to a helper that calls one (describeByName, withPassword).
 * A raw `client.send(...)` with its own try/catch cannot come back unnoticed. The check reads
 * source text (strings and comments blanked), so it is specified first on small samples.
 */
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const wrappers = /\b(awsCall|awsCallUnlessMissing)\s*$/;

/** Places that may send outside the call path, with the reason. None today. */
const allowedRawSends: Record<string, string> = {};

/** `text` with the insides of strings, template texts and comments replaced by spaces (positions kept). */
function codeOnly(text: string): string {
	const out = [...text];
	const blank = (i: number) => {
		if (out[i] !== '\n') out[i] = ' ';
	};
	const templates: number[] = []; // the brace depth inside each open template's ${…}
	let braces = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '/' && text[i + 1] === '/') {
			for (; i < text.length && text[i] !== '\n'; i++) blank(i);
		} else if (c === '/' && text[i + 1] === '*') {
			const end = text.indexOf('*/', i + 2);
			const stop = end < 0 ? text.length : end + 2;
			for (; i < stop; i++) blank(i);
			i--;
		} else if (c === "'" || c === '"') {
			for (i++; i < text.length && text[i] !== c && text[i] !== '\n'; i++) {
				if (text[i] === '\\') blank(i++);
				blank(i);
			}
		} else if (c === '`' || (c === '}' && templates.at(-1) === braces)) {
			if (c === '}') {
				templates.pop();
				braces--;
			}
			for (i++; i < text.length && text[i] !== '`'; i++) {
				if (text[i] === '\\') blank(i++);
				else if (text[i] === '$' && text[i + 1] === '{') {
					braces++;
					templates.push(braces);
					i++;
					break;
				}
				blank(i);
			}
		} else if (c === '{') braces++;
		else if (c === '}') braces--;
	}
	return out.join('');
}

/** Every `.send(` of `text` that is not a request of the call path, or does not pass its options on: "line: why". */
function rawSends(text: string): string[] {
	const code = codeOnly(text);
	const found: string[] = [];
	const open: {wrapper: boolean}[] = [];
	const lineOf = (i: number) => code.slice(0, i).split('\n').length;
	for (let i = 0; i < code.length; i++) {
		if (code[i] === '(') {
			const send = /\.\s*send\s*$/.test(code.slice(Math.max(0, i - 12), i));
			if (send) {
				const line = lineOf(i);
				const options = secondArgument(code, i);
				if (open.some((p) => p.wrapper)) {
					if (!options) found.push(`${line}: .send( without the request options`);
				} else if (!options || options !== requestParameter(code.slice(0, i))) found.push(`${line}: .send( outside awsCall`);
			}
			open.push({wrapper: wrappers.test(code.slice(Math.max(0, i - 30), i))});
		} else if (code[i] === ')') open.pop();
	}
	return found;
}

/** The second argument (trimmed text) of the call whose `(` is at `start`, if any. */
function secondArgument(code: string, start: number): string | undefined {
	let depth = 0;
	let from: number | undefined;
	for (let i = start; i < code.length; i++) {
		const c = code[i]!;
		if ('([{'.includes(c)) depth++;
		else if (')]}'.includes(c)) {
			if (--depth === 0) return from === undefined ? undefined : code.slice(from, i).trim() || undefined;
		} else if (c === ',' && depth === 1) {
			if (from !== undefined) return code.slice(from, i).trim();
			from = i + 1;
		}
	}
	return undefined;
}

/** The parameter of the innermost one-parameter arrow function `(options) =>` the code before a send is in. */
function requestParameter(before: string): string | undefined {
	return [...before.matchAll(/\(\s*(\w+)\s*\)\s*=>/g)].at(-1)?.[1];
}

async function sourceFiles(folder: string): Promise<string[]> {
	const entries = await readdir(path.join(repo, folder), {recursive: true, withFileTypes: true});
	return entries
		.filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
		.map((e) => path.relative(repo, path.join(e.parentPath, e.name)))
		.sort();
}

describe('the raw-send check', () => {
	it('finds a send outside the call path, and one inside that drops the options', () => {
		expect(rawSends('const a = await s3.send(new GetObjectCommand({}));\n')).toEqual(['1: .send( outside awsCall']);
		expect(rawSends("await awsCall(scope, 'S3 Get', () =>\n\ts3.send(new GetObjectCommand({})),\n);")).toEqual([
			'2: .send( without the request options',
		]);
		expect(rawSends('try {\n\tawait clients\n\t\t.sts()\n\t\t.send(new X({}), {abortSignal: s});\n} catch {}')).toEqual([
			'4: .send( outside awsCall',
		]);
		expect(rawSends('const run = (options) => s3.send(new X({}), {abortSignal: signal});')).toEqual(['1: .send( outside awsCall']);
	});

	it('lets a send through when it is an awsCall’s request, however nested and whatever the strings say', () => {
		const inside = [
			"await awsCall(scope, `SQS GetQueueUrl ${name} (${'x)'})`, (options) => sqs(context).send(new C({Q: f(a, b)}), options));",
			"await awsCallUnlessMissing(scope, 'S3 Head', isMissing, async (o) => {\n\tconst r = await s3.send(new H({}), o);\n\treturn r;\n});",
			'// client.send(raw) in a comment\nconst t = "client.send(x)";',
			'const deleteTable: AwsRequest<unknown> = (options) => dynamo(context).send(new DeleteTableCommand({TableName: name}), options);',
			'return describeByName(context, action, missing, async (options) => (await elb(context).send(new D({Names: [name]}), options)).L);',
		];
		for (const text of inside) expect(rawSends(text)).toEqual([]);
	});
});

describe('engine/ and source/', () => {
	it('send every AWS request through engine/aws/call.ts', async () => {
		const offending: string[] = [];
		for (const file of [...(await sourceFiles('engine')), ...(await sourceFiles('source'))]) {
			if (file in allowedRawSends) continue;
			for (const where of rawSends(await readFile(path.join(repo, file), 'utf8'))) offending.push(`${file}:${where}`);
		}
		expect(offending).toEqual([]);
	});
});
