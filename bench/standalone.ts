/**
 * Running one bench file on its own (`node dist/bench/x-bench.js [--json]`): its records on stdout,
 * one aligned line each, or one JSON object per line with --json (how bench/run.ts reads a bench
 * it runs in a child process); exit code 1 when a target is missed.
 */
import {pathToFileURL} from 'node:url';

export type RecordResult = (name: string, value: string, target: string, ok: boolean) => void;

/** Runs `bench` when the module at `moduleUrl` is the script node was started with. */
export async function runStandalone(moduleUrl: string, bench: (record: RecordResult) => Promise<void>): Promise<void> {
	if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
	let missed = 0;
	const json = process.argv.includes('--json');
	await bench((name, value, target, ok) => {
		if (!ok) missed++;
		process.stdout.write(
			json
				? `${JSON.stringify({name, value, target, ok})}\n`
				: `${ok ? 'ok  ' : 'MISS'}  ${name.padEnd(46)} ${value.padEnd(28)} target ${target}\n`,
		);
	});
	process.exitCode = missed === 0 ? 0 : 1;
}
