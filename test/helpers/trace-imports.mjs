// Preloaded into the panka binary (node --import) by tests that check what a command loads: the URL
// of every module the process resolves goes, one a line, to the file named by
// PANKA_TEST_IMPORTS_FILE. The resolve hook runs on node's hooks thread, hence its own source.
import {register} from 'node:module';

const hooks = `
import {appendFileSync} from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
	const resolved = await next(specifier, context);
	appendFileSync(file, resolved.url + '\\n');
	return resolved;
}`;

const file = process.env.PANKA_TEST_IMPORTS_FILE;
if (file) register(`data:text/javascript,${encodeURIComponent(hooks)}`, {data: {file}});
