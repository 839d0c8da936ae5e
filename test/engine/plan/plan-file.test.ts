/**
 * Plan files: a saved plan (with its selection) reads back as it was written, applies only to the
 * state and configuration it was made from, and a broken file is refused with its path.
 */
import {execFileSync} from 'node:child_process';
import {readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {desiredHash} from '../../../engine/plan/inputs.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {
	assertPlanApplicable,
	checkPlanApplicable,
	makePlanFile,
	PlanFileError,
	PlanNotApplicableError,
	parsePlanFile,
	readPlanFile,
	savedSelection,
	serializePlanFile,
	writePlanFile,
} from '../../../engine/plan/plan-file.js';
import {approveAll, toggle} from '../../../engine/plan/selection.js';
import {tempDir} from '../../helpers/stack-fixture.js';
import {deployed, demoCopy, edit, loadDemo} from './plan-fixture.js';

async function changedDemo() {
	const dir = demoCopy();
	const ws = await loadDemo(dir);
	const state = deployed(ws, 7);
	edit(dir, 'services/api/service.yaml', 'REPLICAS: "3"', 'REPLICAS: "4"');
	edit(dir, 'services/api/resources.yaml', 'visibilityTimeout: 300', 'visibilityTimeout: 120');
	const changed = await loadDemo(dir);
	return {dir, state, workspace: changed, plan: planChanges(changed, state)};
}

describe('saving and loading', () => {
	it('round-trips a plan and its selection', async () => {
		const {dir, plan} = await changedDemo();
		const selection = toggle(approveAll(plan), plan, 'api/notification-queue');
		expect(selection.skipped.has('api/api-server')).toBe(true); // it depends on the queue
		const file = path.join(tempDir(), 'plan.json');
		await writePlanFile(file, makePlanFile(plan, {stackFolder: dir, selection}));
		const loaded = await readPlanFile(file);
		expect(loaded).toMatchObject({
			kind: 'PankaPlan',
			formatVersion: 1,
			stackFolder: dir,
			environment: 'production',
			stateSerial: 7,
			desiredHash: plan.desiredHash,
		});
		expect(loaded.plan).toEqual(JSON.parse(JSON.stringify(plan)));
		const restored = savedSelection(loaded, file)!;
		expect([...restored.approved].sort()).toEqual([...selection.approved].sort());
		expect(restored.skipped).toEqual(selection.skipped);
		expect(restored.partial).toBe(true);
	});

	it('is written 0600, whatever the umask, replacing a readable file: it shows --var values in clear', async () => {
		const {dir, plan} = await changedDemo();
		const file = path.join(tempDir(), 'plan.json');
		writeFileSync(file, 'old', {mode: 0o644});
		const umask = process.umask(0o022);
		try {
			await writePlanFile(file, makePlanFile(plan, {stackFolder: dir}));
		} finally {
			process.umask(umask);
		}
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect((await readPlanFile(file)).kind).toBe('PankaPlan');
	});

	it('has no selection when none was made', async () => {
		const {dir, plan} = await changedDemo();
		const file = parsePlanFile(serializePlanFile(makePlanFile(plan, {stackFolder: dir})), 'plan.json');
		expect(file.selection).toBeUndefined();
		expect(savedSelection(file)).toBeUndefined();
	});
});

describe('checkPlanApplicable', () => {
	it('accepts the same state and configuration', async () => {
		const {dir, plan, state, workspace} = await changedDemo();
		expect(checkPlanApplicable(makePlanFile(plan, {stackFolder: dir}), state, desiredHash(workspace))).toEqual({ok: true});
	});

	it('refuses a plan made on an older serial', async () => {
		const {dir, plan, state, workspace} = await changedDemo();
		const result = checkPlanApplicable(makePlanFile(plan, {stackFolder: dir}), {...state, serial: 9}, desiredHash(workspace));
		expect(result).toEqual({
			ok: false,
			reason: 'state-changed',
			message: 'the state changed since this plan was made (serial 7 → 9): plan again',
			hint: 'run `panka plan` again and review the new plan',
		});
	});

	it('refuses a state of another lineage', async () => {
		const {dir, plan, state, workspace} = await changedDemo();
		const result = checkPlanApplicable(
			makePlanFile(plan, {stackFolder: dir}),
			{...state, lineage: 'another-lineage'},
			desiredHash(workspace),
		);
		expect(result).toMatchObject({ok: false, reason: 'other-lineage', message: expect.stringContaining('→ another-lineage')});
	});

	it('refuses when the folder changed since the plan', async () => {
		const {dir, plan, state} = await changedDemo();
		edit(dir, 'services/api/service.yaml', 'REPLICAS: "4"', 'REPLICAS: "5"');
		const result = checkPlanApplicable(makePlanFile(plan, {stackFolder: dir}), state, desiredHash(await loadDemo(dir)));
		expect(result).toMatchObject({
			ok: false,
			reason: 'configuration-changed',
			message: 'the stack configuration changed since this plan was made (its files, variables or environment): plan again',
		});
	});

	it('refuses when the state disappeared, or appeared after a plan made without one', async () => {
		const {dir, plan, state, workspace} = await changedDemo();
		expect(checkPlanApplicable(makePlanFile(plan, {stackFolder: dir}), undefined, desiredHash(workspace))).toMatchObject({
			ok: false,
			reason: 'state-missing',
		});
		const fresh = planChanges(workspace, undefined);
		expect(checkPlanApplicable(makePlanFile(fresh, {stackFolder: dir}), undefined, desiredHash(workspace))).toEqual({ok: true});
		expect(checkPlanApplicable(makePlanFile(fresh, {stackFolder: dir}), state, desiredHash(workspace))).toMatchObject({
			ok: false,
			reason: 'state-changed',
			message: 'the state changed since this plan was made (serial 0 → 7): plan again',
		});
	});

	it('can throw instead', async () => {
		const {dir, plan, state, workspace} = await changedDemo();
		expect(() => assertPlanApplicable(makePlanFile(plan, {stackFolder: dir}), {...state, serial: 8}, desiredHash(workspace))).toThrow(
			PlanNotApplicableError,
		);
	});
});

describe('broken plan files', () => {
	async function saved() {
		const {dir, plan} = await changedDemo();
		const file = path.join(tempDir(), 'plan.json');
		await writePlanFile(file, makePlanFile(plan, {stackFolder: dir, selection: approveAll(plan)}));
		return file;
	}
	const refusal = async (file: string) => {
		try {
			await readPlanFile(file);
		} catch (error) {
			expect(error).toBeInstanceOf(PlanFileError);
			expect((error as PlanFileError).file).toBe(file);
			return (error as Error).message;
		}
		throw new Error('expected a refusal');
	};

	it('a truncated file', async () => {
		const file = await saved();
		writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200));
		expect(await refusal(file)).toMatch(new RegExp(`^plan file ${file} is not valid JSON \\(.+\\); it may be truncated or corrupt$`));
	});

	it('another JSON document', async () => {
		const file = path.join(tempDir(), 'state.json');
		writeFileSync(file, JSON.stringify({version: '1.0.0', serial: 1}));
		expect(await refusal(file)).toBe(`${file} is not a panka plan file (expected "kind": "PankaPlan")`);
	});

	it('a newer format version', async () => {
		const file = await saved();
		writeFileSync(file, readFileSync(file, 'utf8').replace('"formatVersion": 1,', '"formatVersion": 2,'));
		expect(await refusal(file)).toBe(`plan file ${file} has format version 2; this panka reads version 1`);
	});

	it('a missing field, named by its path', async () => {
		const file = await saved();
		const json = JSON.parse(readFileSync(file, 'utf8'));
		delete json.plan.changes[0].action;
		writeFileSync(file, JSON.stringify(json));
		expect(await refusal(file)).toMatch(new RegExp(`^plan file ${file} is corrupt: plan\\.changes\\.0\\.action: `));
	});

	it('a header that disagrees with its plan', async () => {
		const file = await saved();
		const json = JSON.parse(readFileSync(file, 'utf8'));
		json.stateSerial = 8;
		writeFileSync(file, JSON.stringify(json));
		expect(await refusal(file)).toBe(`plan file ${file} is corrupt: its header and its plan disagree`);
	});

	it('an edited selection', async () => {
		const file = await saved();
		const json = JSON.parse(readFileSync(file, 'utf8'));
		json.selection.approved.pop();
		writeFileSync(file, JSON.stringify(json));
		expect(() => savedSelection(parsePlanFile(JSON.stringify(json), file), file)).toThrow(
			`plan file ${file}: its selection does not match its plan (the file was edited?)`,
		);
	});

	it('a file that is not there', async () => {
		const file = path.join(tempDir(), 'missing.json');
		expect(await refusal(file)).toBe(`plan file ${file} does not exist`);
	});

	it('a named pipe or a device given as the plan file, without blocking or reading it', async () => {
		const fifo = path.join(tempDir(), 'plan.json');
		execFileSync('mkfifo', [fifo]);
		expect(await refusal(fifo)).toBe(`cannot read plan file ${fifo}: is a named pipe (FIFO), not a file: panka reads only regular files`);
		const zero = path.join(tempDir(), 'zero.json');
		symlinkSync('/dev/zero', zero);
		expect(await refusal(zero)).toBe(
			`cannot read plan file ${zero}: is a symbolic link to /dev/zero, a character device: panka reads only regular files`,
		);
	});
});
