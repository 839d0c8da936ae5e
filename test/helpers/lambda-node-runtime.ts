/**
 * Loads a Lambda handler the way AWS's Node.js runtime does (its UserFunction loader), so a test
 * can tell whether code panka writes or ships would start on AWS — not only whether the local
 * Node can import it.
 *
 * For handler `dir/index.handler` the runtime looks, in order, for `dir/index.js`, `.mjs`, `.cjs`
 * under the code folder. A `.js` file is an ES module only when the nearest package.json (up to
 * the code folder) says `"type": "module"`; otherwise it is CommonJS. `.mjs` is always an ES
 * module, `.cjs` always CommonJS. The CommonJS path compiles the source as a function body, as
 * Node's CommonJS loader does, so an `export` statement is the SyntaxError AWS reports — whatever
 * this Node's own module-syntax detection would do with it.
 */
import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import vm from 'node:vm';

export type LambdaHandler = (event: unknown, context: unknown) => unknown;

export async function loadLambdaHandler(codeDir: string, handler: string): Promise<LambdaHandler> {
	const dot = handler.lastIndexOf('.');
	if (dot <= 0) throw new Error(`Runtime.MalformedHandlerName: ${handler}`);
	const modulePath = handler.slice(0, dot);
	const exportName = handler.slice(dot + 1);
	const base = path.resolve(codeDir, modulePath);
	const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
	if (!file) throw new Error(`Runtime.ImportModuleError: Cannot find module '${modulePath}'`);
	const exports = isEsModule(file, codeDir) ? await import(pathToFileURL(file).href) : loadCommonJs(file);
	const fn = (exports as Record<string, unknown>)[exportName];
	if (typeof fn !== 'function') throw new Error(`Runtime.HandlerNotFound: ${modulePath}.${exportName} is undefined or not exported`);
	return fn as LambdaHandler;
}

function isEsModule(file: string, codeDir: string): boolean {
	if (file.endsWith('.mjs')) return true;
	if (file.endsWith('.cjs')) return false;
	for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as {type?: string}).type === 'module';
		if (dir === path.resolve(codeDir) || dir === path.dirname(dir)) return false;
	}
}

function loadCommonJs(file: string): unknown {
	const module = {exports: {} as unknown};
	const wrapper = vm.compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], {
		filename: file,
	});
	wrapper(module.exports, createRequire(file), module, file, path.dirname(file));
	return module.exports;
}

/** A minimal Lambda context object, as the runtime passes it. */
export function lambdaContext(functionName: string): Record<string, unknown> {
	return {
		functionName,
		functionVersion: '$LATEST',
		awsRequestId: '00000000-0000-4000-8000-000000000000',
		getRemainingTimeInMillis: () => 30_000,
	};
}
