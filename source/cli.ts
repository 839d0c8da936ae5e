#!/usr/bin/env node
/**
 * panka's entry point. It stays tiny on purpose, and turns on Node's module compile cache first: `panka --version` answers from here without
 * loading meow, zod, yaml or Ink, so it costs little more than starting node. Everything else is
 * loaded on demand by main.ts, and Ink only on the TUI path.
 */
import module from 'node:module';
import {reportOutputClosed} from './closed-output.js';
import {settleColorEnvironment} from './ui.js';
import {packageVersion} from './version.js';

// Node 22.1+ keeps the compiled code of the modules panka loads in a cache folder (the system's temp
// folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so later starts skip most of the compiling.
// It applies to the modules loaded after this line: everything but this file and the two above.
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();

// `panka graph | head`: a closed pipe ends the command quietly, as for any Unix tool; a command
// that must not be cut short (apply, destroy) hears of it instead and stops cleanly.
for (const [name, stream] of [
	['stdout', process.stdout],
	['stderr', process.stderr],
] as const)
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
		if (!reportOutputClosed(name)) process.exit(process.exitCode ?? 0);
	});

settleColorEnvironment(process.env);

// The AWS SDK prints a multi-line notice on every call that it will need Node 22 from 2027;
// panka documents its Node support itself (README), so keep command output clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
	process.stdout.write(`${packageVersion()}\n`);
} else {
	const {main} = await import('./main.js');
	process.exitCode = await main(argv);
}
