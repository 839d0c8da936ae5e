/**
 * The stack-init and service-add wizards, driven with keys: they ask only for what is missing,
 * refuse bad answers with the engine's message and ask again, show the files, and write exactly
 * the engine's scaffold (which then loads without errors). Esc writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {ServiceAddWizard} from '../../components/wizards/ServiceAddWizard.js';
import {StackInitWizard} from '../../components/wizards/StackInitWizard.js';
import {WizardLayout} from '../../components/wizards/WizardLayout.js';
import {planServiceAdd, planStackInit} from '../../engine/scaffold/scaffold.js';
import {loadWorkspace, workspaceHasErrors} from '../../engine/workspace.js';
import {KEYS, press, type} from './keys.js';
import {detailTitle, renderWorkbench, treeColumn} from './render-workbench.js';
import {copyDemo, demoTenant, removeTempDirs, tempDir} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

const done = {timeout: 5000, interval: 2};

describe('StackInitWizard', () => {
	test('asks name → services → template, shows the files, writes them on enter; the stack loads clean', async () => {
		const parentDir = tempDir();
		const onDone = vi.fn();
		const {stdin, lastFrame} = render(<StackInitWizard request={{parentDir}} onDone={onDone} />);
		expect(lastFrame()).toContain('? stack name ›');

		await type(stdin, 'shop');
		expect(lastFrame()).toContain('? stack name › shop');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toContain('✓ name');
		expect(lastFrame()).toContain('? services ›');

		await type(stdin, 'api, worker');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toContain('? template for api, worker');
		expect(lastFrame()).toContain('❯ http-api');
		expect(lastFrame()).toContain('MicroService (ECS Fargate, HTTP) + RDS Postgres + SQS queue');
		await press(stdin, KEYS.down);
		expect(lastFrame()).toContain('❯ worker');
		await press(stdin, KEYS.up, KEYS.enter);
		expect(lastFrame()).toContain('? environments ›');
		await type(stdin, 'staging, production');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toContain('✓ environments');

		const base = path.join(parentDir, 'shop');
		const plan = planStackInit({
			parentDir,
			name: 'shop',
			services: ['api', 'worker'],
			template: 'http-api',
			environments: ['staging', 'production'],
		});
		if (!plan.ok) throw new Error(plan.problems.join('; '));
		expect(lastFrame()).toContain(`Write ${plan.files.length} files in ${base}/ ?`);
		for (const file of plan.files) expect(lastFrame()).toContain(`+ ${file.path}`);
		expect(lastFrame()).toContain('enter write files');
		expect(fs.existsSync(base)).toBe(false);

		await press(stdin, KEYS.enter);
		await vi.waitFor(() => expect(onDone).toHaveBeenCalled(), done);
		expect(onDone).toHaveBeenCalledWith({base, written: plan.files.map((f) => f.path)});
		for (const file of plan.files) expect(fs.readFileSync(path.join(base, file.path), 'utf8')).toBe(file.content);
		const workspace = await loadWorkspace(base, {tenantConfigPath: demoTenant, env: {}});
		expect(workspace.diagnostics).toEqual([]);
		expect(workspace.components.map((c) => c.name).sort()).toEqual([
			'api-db',
			'api-queue',
			'api-server',
			'worker-db',
			'worker-queue',
			'worker-server',
		]);
	});

	test('an invalid name shows the engine’s problem and asks again', async () => {
		const parentDir = tempDir();
		const onDone = vi.fn();
		const {stdin, lastFrame} = render(<StackInitWizard request={{parentDir}} onDone={onDone} />);
		await type(stdin, 'MyShop');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toContain('✗ stack name "MyShop" contains uppercase letters');
		expect(lastFrame()).toContain('? stack name ›');
		expect(lastFrame()).not.toContain('? services');

		await type(stdin, 'my-shop');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).not.toContain('uppercase');
		expect(lastFrame()).toContain('? services ›');
		await type(stdin, 'ok, Bad_Name');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toContain('service name "Bad_Name" contains uppercase letters');
		expect(lastFrame()).toContain('? services ›');
		expect(onDone).not.toHaveBeenCalled();
	});

	test('the answer is edited in place: ← and → move within it, backspace erases before the cursor, ctrl+u clears it', async () => {
		const parentDir = tempDir();
		const {stdin, lastFrame} = render(<StackInitWizard request={{parentDir}} onDone={vi.fn()} />);
		await type(stdin, 'shp');
		await press(stdin, KEYS.left);
		await type(stdin, 'o');
		expect(lastFrame()).toContain('? stack name › shop');
		await press(stdin, KEYS.right, KEYS.backspace);
		expect(lastFrame()).toContain('? stack name › sho');
		expect(lastFrame()).not.toContain('shop');
		await press(stdin, KEYS.ctrlU);
		expect(lastFrame()).toMatch(/^\? stack name › *$/m);
		await type(stdin, 'cart');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toMatch(/✓ name +cart/);
		expect(lastFrame()).toContain('? services ›');
	});

	test('a paste answering several steps in one chunk answers each of them', async () => {
		const parentDir = tempDir();
		const {stdin, lastFrame} = render(<StackInitWizard request={{parentDir}} onDone={vi.fn()} />);
		await press(stdin, 'shop\rapi\r');
		expect(lastFrame()).toMatch(/✓ name +shop/);
		expect(lastFrame()).toMatch(/✓ services +api/);
		expect(lastFrame()).toContain('? template for api');
		await press(stdin, '\rstaging');
		expect(lastFrame()).toContain('? environments › staging');
	});

	test('asks only for what was not given: with a name and no services it goes straight to the files', async () => {
		const parentDir = tempDir();
		const onDone = vi.fn();
		const {stdin, lastFrame} = render(
			<StackInitWizard request={{parentDir, name: 'empty-stack', services: [], environments: ['dev']}} onDone={onDone} height={38} />,
		);
		expect(lastFrame()).not.toContain('? ');
		expect(lastFrame()).toContain('✓ name');
		expect(lastFrame()).toContain('(none yet)');
		expect(lastFrame()).toContain('+ stack.yaml');
		expect(lastFrame()).toContain('+ services/.gitkeep');
		expect(lastFrame()).toContain('apiVersion: core.panka.io/v1');
		await press(stdin, KEYS.enter);
		await vi.waitFor(() => expect(onDone).toHaveBeenCalled(), done);
		expect(fs.existsSync(path.join(parentDir, 'empty-stack/stack.yaml'))).toBe(true);
	});

	test('esc cancels and writes nothing', async () => {
		const parentDir = tempDir();
		const onDone = vi.fn();
		const {stdin} = render(
			<StackInitWizard request={{parentDir, name: 'x-stack', services: ['api'], template: 'worker'}} onDone={onDone} />,
		);
		await press(stdin, KEYS.escape);
		expect(onDone).toHaveBeenCalledWith(undefined);
		expect(fs.readdirSync(parentDir)).toEqual([]);
	});
});

describe('ServiceAddWizard', () => {
	test('refuses a taken name and a template whose components collide, then writes the service', async () => {
		const root = copyDemo();
		const workspace = await loadWorkspace(root, {tenantConfigPath: demoTenant, env: {}});
		const onDone = vi.fn();
		const {stdin, lastFrame} = render(<ServiceAddWizard workspace={workspace} onDone={onDone} />);
		expect(lastFrame()).toContain('? service name ›');

		await type(stdin, 'api');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toContain('✗ service "api" already exists (services/api)');
		expect(lastFrame()).toContain('? service name ›');

		// "notification" + http-api would create notification-queue, which the api service has.
		await type(stdin, 'notification');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toContain('? template for notification');
		await press(stdin, KEYS.enter);
		expect(lastFrame()).toContain('component "notification-queue" already exists (api/notification-queue)');
		expect(lastFrame()).toContain('? service name ›');

		await type(stdin, 'billing');
		await press(stdin, KEYS.enter, KEYS.down, KEYS.enter); // template: worker
		const plan = planServiceAdd(workspace, {name: 'billing', template: 'worker'});
		if (!plan.ok) throw new Error(plan.problems.join('; '));
		expect(lastFrame()).toContain('✓ template');
		for (const file of plan.files) expect(lastFrame()).toContain(`+ ${file.path}`);
		await press(stdin, KEYS.enter);
		await vi.waitFor(() => expect(onDone).toHaveBeenCalled(), done);
		expect(onDone).toHaveBeenCalledWith({base: root, written: plan.files.map((f) => f.path)});
		for (const file of plan.files) expect(fs.readFileSync(path.join(root, file.path), 'utf8')).toBe(file.content);
		const after = await loadWorkspace(root, {tenantConfigPath: demoTenant, env: {}});
		expect(workspaceHasErrors(after)).toBe(false);
		expect(after.services.map((s) => s.name)).toContain('billing');
	});

	test('a pasted answer with its enter in one chunk is typed and submitted', async () => {
		const root = copyDemo();
		const workspace = await loadWorkspace(root, {tenantConfigPath: demoTenant, env: {}});
		const onDone = vi.fn();
		const {stdin, lastFrame} = render(<ServiceAddWizard workspace={workspace} given={{template: 'scheduled'}} onDone={onDone} />);
		await press(stdin, 'reports\r');
		expect(lastFrame()).toContain('+ services/reports/lambda.yaml');
		await press(stdin, KEYS.escape);
		expect(onDone).toHaveBeenCalledWith(undefined);
		expect(fs.existsSync(path.join(root, 'services/reports'))).toBe(false);
	});

	test('n in the workbench opens it; the new service appears (selected) once the watcher reloads', async () => {
		const root = copyDemo();
		const {stdin, frame} = await renderWorkbench(root);
		await press(stdin, 'n');
		expect(frame()).toContain('╭─ New service in notification-platform');
		expect(frame()).toContain('? service name ›');
		await type(stdin, 'billing');
		await press(stdin, KEYS.enter);
		await press(stdin, KEYS.down, KEYS.down); // scheduled
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('+ services/billing/lambda.yaml');
		await press(stdin, KEYS.enter);
		await vi.waitFor(() => expect(treeColumn(frame())).toContain('billing-job'), {timeout: 10_000, interval: 5});
		expect(frame()).toContain('✓ wrote 3 files in services/billing');
		expect(detailTitle(frame())).toBe('service billing');
		expect(frame()).toContain('✓ no problems');
	});

	test('esc in the workbench wizard goes back to the overview and writes nothing', async () => {
		const root = copyDemo();
		const {stdin, frame, onExit} = await renderWorkbench(root);
		await press(stdin, 'n');
		await type(stdin, 'q?g');
		expect(frame()).toContain('? service name › q?g');
		expect(onExit).not.toHaveBeenCalled();
		await press(stdin, KEYS.escape);
		expect(frame()).toContain('╭─ Components');
		expect(frame()).toContain('nothing written');
		expect(fs.readdirSync(path.join(root, 'services')).sort()).toEqual(['api', 'scheduler', 'worker']);
	});
});

describe('WizardLayout', () => {
	test('shows a spinner while the files are written, and no key hints then', () => {
		const {lastFrame} = render(<WizardLayout title="New stack" answers={[{label: 'name', value: 'shop'}]} kind="busy" width={60} />);
		expect(lastFrame()).toMatch(/^New stack\n✓ name +shop\n\S writing the files…$/);
		expect(render(<WizardLayout answers={[]} kind="confirm" width={60} />).lastFrame()).not.toContain('writing the files');
	});
});
