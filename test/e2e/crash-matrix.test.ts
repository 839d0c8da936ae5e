/**
 * SIGKILL at random moments (after a random number of --json events) across a stack's life, on
 * both backends: the first apply, an update (a queue's attribute) or a replace (the table's key),
 * and the destroy; after each kill panka runs again until it claims success. Checked through AWS
 * list calls (convergence.ts): no orphan, no duplicate, nothing pending, no temporary file left,
 * and no claim of success that the state and AWS do not bear out.
 *
 * Long mode only (PANKA_LONG_TESTS=1; CI's kills are apply-crash.test.ts's): 8 lives per backend,
 * 48 kill attempts, each at a random event of that phase's run (a run that ends before its kill
 * point is not counted as killed); the figures are printed (also to $PANKA_FIGURES_FILE).
 */
import {appendFileSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {type BackendKind, claimHolds, type ConvergenceWorld, convergenceWorld} from '../helpers/convergence.js';
import {seededRandom} from '../helpers/fault-proxy.js';
import {describeAws, useMoto} from '../helpers/moto.js';

const long = process.env.PANKA_LONG_TESTS === '1';
const lives: Array<{backend: BackendKind; seed: number}> = (['local', 's3'] as const).flatMap((backend) =>
	Array.from({length: 8}, (_, i) => ({backend, seed: i + 1})),
);
const queues = 3;
const components = 4 + queues;

interface KillFigure {
	backend: BackendKind;
	phase: 'apply' | 'update' | 'replace' | 'destroy';
	killed: boolean;
	reruns: number;
	orphans: number;
	duplicates: number;
	pending: number;
	tempFiles: number;
	falseSuccess: number;
}

/** About how many --json events each phase's run prints: kill points are drawn below it, so most runs are cut. */
const eventsOf = {apply: components * 3, update: 6, replace: 10, destroy: components * 2} as const;

(long ? describeAws : describe.skip)('SIGKILL at random moments, then run again', () => {
	const moto = useMoto();
	const figures: KillFigure[] = [];

	/** Kills `operation` after `killAfter` events, then reruns it (up to 3 times) until it claims success. */
	async function killThenConverge(cw: ConvergenceWorld, phase: KillFigure['phase'], killAfter: number): Promise<KillFigure> {
		const operation = phase === 'destroy' ? 'destroy' : 'apply';
		const cut = await cw.run([operation, cw.dir, '--yes', '--json', '--parallelism', '3'], {killAfter});
		let falseSuccess = cut.claimedSuccess && !claimHolds(await cw.audit(), operation, operation === 'destroy' ? 0 : components) ? 1 : 0;
		let reruns = 0;
		let done = cut.claimedSuccess;
		while (!done && reruns < 3) {
			reruns++;
			const rerun = await cw.run([operation, cw.dir, '--yes', '--no-tui']);
			done = rerun.claimedSuccess;
			if (done && !claimHolds(await cw.audit(), operation, operation === 'destroy' ? 0 : components)) falseSuccess++;
		}
		expect(done, `${phase} did not converge in 3 reruns after a SIGKILL`).toBe(true);
		const audit = await cw.audit();
		const figure = {
			backend: cw.backend,
			phase,
			killed: cut.signal === 'SIGKILL',
			reruns,
			orphans: audit.orphans.length,
			duplicates: audit.duplicates.length,
			pending: audit.pending,
			tempFiles: audit.tempFiles.length,
			falseSuccess,
		};
		figures.push(figure);
		expect(figure).toMatchObject({orphans: 0, duplicates: 0, pending: 0, tempFiles: 0, falseSuccess: 0});
		expect(audit.missing).toEqual([]);
		expect(audit.resources).toBe(operation === 'destroy' ? 0 : components);
		return figure;
	}

	afterAll(() => {
		if (figures.length === 0) return;
		const killed = figures.filter((f) => f.killed);
		const sum = (field: 'orphans' | 'duplicates' | 'pending' | 'tempFiles' | 'falseSuccess') => figures.reduce((n, f) => n + f[field], 0);
		const line = JSON.stringify({
			suite: 'crashes',
			attempts: figures.length,
			kills: killed.length,
			byPhase: Object.fromEntries(['apply', 'update', 'replace', 'destroy'].map((p) => [p, killed.filter((f) => f.phase === p).length])),
			byBackend: Object.fromEntries(['local', 's3'].map((b) => [b, killed.filter((f) => f.backend === b).length])),
			maxReruns: Math.max(...figures.map((f) => f.reruns)),
			orphans: sum('orphans'),
			duplicates: sum('duplicates'),
			pending: sum('pending'),
			tempFiles: sum('tempFiles'),
			falseSuccess: sum('falseSuccess'),
		});
		console.log(line);
		if (process.env.PANKA_FIGURES_FILE) appendFileSync(process.env.PANKA_FIGURES_FILE, `${line}\n`);
	});

	for (const {backend, seed} of lives)
		it(`apply, ${seed % 2 ? 'update' : 'replace'} and destroy each converge after a SIGKILL (${backend} backend, life ${seed})`, async () => {
			const random = seededRandom(seed * 7919 + (backend === 's3' ? 1 : 0));
			const killPoint = (phase: keyof typeof eventsOf) => 1 + Math.floor(random() * eventsOf[phase]);
			const cw = convergenceWorld(moto, backend);
			cw.writeStack({queues});
			await killThenConverge(cw, 'apply', killPoint('apply'));
			if (seed % 2) {
				cw.writeStack({queues, visibilityTimeout: 90});
				await killThenConverge(cw, 'update', killPoint('update'));
			} else {
				cw.writeStack({queues, tableKey: 'pk'});
				await killThenConverge(cw, 'replace', killPoint('replace'));
			}
			await killThenConverge(cw, 'destroy', killPoint('destroy'));
		}, 300_000);
});
