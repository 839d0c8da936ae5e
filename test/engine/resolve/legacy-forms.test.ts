/**
 * Stacks written for the original tool validate and plan unchanged: each of its forms is read as
 * panka's own (one normalisation step), warned about once with the form to write instead, and
 * planned exactly like the same stack written in panka's forms — as a folder, as one file, and
 * after `panka migrate` has rewritten it (comments kept, no deprecation left).
 */
import {cpSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {planMigration, writeMigration} from '../../../engine/migrate/migrate-stack.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {applyEdits, normaliseDocument} from '../../../engine/resolve/legacy-forms.js';
import {loadWorkspace, type Workspace} from '../../../engine/workspace.js';
import {demoTenant, fixturesDir, tempDir} from '../../helpers/stack-fixture.js';

const legacy = path.join(fixturesDir, 'legacy');
const original = path.join(legacy, 'original');
const modern = path.join(legacy, 'modern');
const singleFile = path.join(legacy, 'single-file.yaml');

const load = (target: string) => loadWorkspace(target, {tenantConfigPath: demoTenant, now: () => Date.parse('2026-12-01T09:00:00Z')});
const warnings = (ws: Workspace) =>
	ws.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.file}:${d.line} ${d.code}: ${d.message}`);
const errors = (ws: Workspace) => ws.diagnostics.filter((d) => d.severity === 'error');

/** What a plan would do, without where it was read from: every change with its names, summary and inputs. */
function planned(ws: Workspace) {
	const plan = planChanges(ws, undefined, {createdAt: '2026-12-01T09:00:00Z'});
	return {
		desiredHash: plan.desiredHash,
		summary: plan.summary,
		changes: plan.changes.map(({address, action, kind, physicalName, summary, notes, after}) => ({
			address,
			action,
			kind,
			physicalName,
			summary,
			notes,
			after,
		})),
	};
}

describe("the original tool's forms", () => {
	it('a stack folder in them validates, with one deprecation warning per form that shows the form to write', async () => {
		const ws = await load(original);
		expect(errors(ws)).toEqual([]);
		expect(warnings(ws)).toEqual([
			expect.stringMatching(
				/^services\/api\/app\.yaml:3 deprecated-form: apiVersion panka\.io\/v1 .* write apiVersion: components\.panka\.io\/v1 for component documents/,
			),
			expect.stringMatching(/^services\/api\/app\.yaml:10 deprecated-form: \$\{api\.NAME\} is deprecated: .* write "\$\{REPO\}"$/),
			expect.stringMatching(/^services\/api\/app\.yaml:14 deprecated-form: runtime\.launchType: FARGATE is deprecated/),
			expect.stringMatching(/^services\/api\/app\.yaml:15 deprecated-form: runtime\.networkMode: awsvpc is deprecated/),
			expect.stringMatching(/^services\/api\/app\.yaml:21 deprecated-form: healthCheck\.enabled is deprecated/),
			expect.stringMatching(/^services\/api\/app\.yaml:22 deprecated-form: healthCheck\.protocol: HTTP is deprecated/),
			expect.stringMatching(/^services\/api\/app\.yaml:37 deprecated-form: tableName is deprecated: panka names the table/),
			expect.stringMatching(
				/^services\/api\/app\.yaml:47 deprecated-form: projection: ALL \(a plain string\) is deprecated: write projection: \{type: ALL\}$/,
			),
			expect.stringMatching(
				/^services\/api\/app\.yaml:52 deprecated-form: projection: INCLUDE .* write projection: \{type: INCLUDE, nonKeyAttributes: \[total, placedAt\]\}$/,
			),
			expect.stringMatching(/^services\/api\/app\.yaml:58 deprecated-form: encryption\.kmsKey is deprecated: write encryption\.kmsKeyId$/),
			expect.stringMatching(/^services\/api\/app\.yaml:67 deprecated-form: bucket\.name is deprecated/),
			expect.stringMatching(/^services\/api\/app\.yaml:69 deprecated-form: bucket\.tags is deprecated: write the tags as spec\.tags/),
			expect.stringMatching(
				/^services\/api\/app\.yaml:72 deprecated-form: cors written as one flat rule is deprecated: write cors: \{rules: \[/,
			),
			expect.stringMatching(
				/^services\/api\/app\.yaml:92 deprecated-form: iops: 3000 is gp3's fixed baseline below 400 GB \(100 GB here\)/,
			),
			expect.stringMatching(
				/^services\/api\/app\.yaml:102 deprecated-form: backup\.maintenanceWindow is deprecated: write maintenance\.preferredWindow$/,
			),
			expect.stringMatching(
				/^services\/api\/service\.yaml:1 deprecated-form: apiVersion panka\.io\/v1 .* core\.panka\.io\/v1 for Stack and Service/,
			),
			expect.stringMatching(
				/^services\/api\/service\.yaml:7 deprecated-form: spec\.description is deprecated: write it as metadata\.description$/,
			),
			expect.stringMatching(/^services\/worker\/queue\.yaml:2 deprecated-form: apiVersion panka\.io\/v1/),
			expect.stringMatching(/^services\/worker\/service\.yaml:1 missing-service-file: service folder worker has no service\.yaml/),
			expect.stringMatching(/^stack\.yaml:2 deprecated-form: apiVersion panka\.io\/v1/),
			expect.stringMatching(/^stack\.yaml:11 deprecated-form: spec\.description is deprecated/),
			expect.stringMatching(
				/^stack\.yaml:13 deprecated-form: spec\.provider is deprecated: the tenant's config decides the AWS account and region \(us-east-1 here\)/,
			),
		]);
		for (const d of ws.diagnostics.filter((d) => d.code === 'deprecated-form'))
			expect(d.hint).toBe('`panka migrate --write` rewrites it in place, keeping comments');
	});

	it('plans exactly like the same stack in panka forms, as a folder and as one multi-document file', async () => {
		const [legacyFolder, file, current] = await Promise.all([load(original), load(singleFile), load(modern)]);
		expect(warnings(current)).toEqual([]);
		expect(errors(file)).toEqual([]);
		expect(warnings(file)).toHaveLength(19);
		const expected = planned(current);
		expect(expected.summary).toMatchObject({create: 6});
		expect(planned(legacyFolder)).toEqual(expected);
		expect(planned(file)).toEqual(expected);
		expect(file.source).toBe(singleFile);
		expect(file.root).toBe(legacy);
		expect(file.services.map((s) => [s.name, s.components])).toEqual([
			['api', ['orders-api', 'orders-table', 'receipts', 'orders-db']],
			['worker', ['order-events']],
		]);
	});

	it('spec.provider naming another region or account than the tenant is an error naming both', async () => {
		const dir = tempDir();
		cpSync(original, dir, {recursive: true});
		const stackFile = path.join(dir, 'stack.yaml');
		writeFileSync(
			stackFile,
			readFileSync(stackFile, 'utf8').replace('region: us-east-1', 'region: eu-west-1').replace('"123456789012"', '"999999999999"'),
		);
		const problems = errors(await load(dir)).map((d) => `${d.file}:${d.line} ${d.code}: ${d.message}`);
		expect(problems.sort()).toEqual([
			'stack.yaml:13 provider-mismatch: spec.provider.accountId is 999999999999, but tenant notifications-team is AWS account 123456789012',
			"stack.yaml:13 provider-mismatch: spec.provider.region is eu-west-1, but tenant notifications-team is in us-east-1: panka deploys the tenant's stacks in us-east-1",
		]);
		// Without a tenant there is nothing to check it against: the deprecation alone.
		const offline = await loadWorkspace(dir);
		expect(errors(offline)).toEqual([]);
	});

	it('kinds the original tool declared and panka lacks are errors that say what to write instead', async () => {
		const dir = tempDir();
		cpSync(modern, dir, {recursive: true});
		writeFileSync(
			path.join(dir, 'services/api/infra.yaml'),
			'apiVersion: infra.panka.io/v1\nkind: ComponentInfra\nmetadata:\n  name: orders-api\nspec:\n  resources:\n    cpu: 256\n',
		);
		expect(errors(await load(dir))).toEqual([
			expect.objectContaining({
				code: 'unknown-kind',
				file: 'services/api/infra.yaml',
				line: 2,
				message: 'unknown kind "ComponentInfra" (the original tool\'s; panka has no such kind)',
				hint: expect.stringMatching(
					/^write its settings into the component itself: spec\.resources\.cpu\/memory → the MicroService's spec\.runtime/,
				),
			}),
		]);
	});

	it('normalising never mutates what was read, and the edits mean the same on a plain value', () => {
		const read = {
			apiVersion: 'components.panka.io/v1',
			kind: 'DynamoDB',
			spec: {globalSecondaryIndexes: [{name: 'x', projection: 'KEYS_ONLY'}]},
		};
		const copy = structuredClone(read);
		const normalised = normaliseDocument(read);
		expect(read).toEqual(copy);
		expect(normalised.value).toEqual({...read, spec: {globalSecondaryIndexes: [{name: 'x', projection: {type: 'KEYS_ONLY'}}]}});
		expect(
			applyEdits(
				read,
				normalised.rewrites.flatMap((r) => r.edits),
			),
		).toEqual(normalised.value);
		// A form already panka's is left as it is (the same object).
		const current = {kind: 'S3', spec: {cors: {rules: [{allowedOrigins: ['*'], allowedMethods: ['GET']}]}}};
		expect(normaliseDocument(current)).toEqual({value: current, rewrites: []});
	});

	it('rewrites a kind’s own forms only in documents of that kind', () => {
		const messages = (document: unknown) => normaliseDocument(document).rewrites.map((r) => r.message);
		expect(messages({kind: 'DynamoDB', spec: {tableName: 'orders'}})).toEqual([
			'tableName is deprecated ("orders" is not used): panka names the table from the tenant, stack, environment and component, so two environments never collide (panka plan shows the name); remove tableName',
		]);
		expect(messages({kind: 'S3', spec: {bucket: {name: ''}}})).toEqual([
			'bucket.name is deprecated: panka names the bucket from the tenant, stack, environment and component, so two environments never collide (panka plan shows the name); remove bucket.name',
		]);
		// The same fields under another kind are not that kind's forms: left for its schema to report.
		expect(messages({kind: 'S3', spec: {tableName: 'orders'}})).toEqual([]);
		expect(messages({kind: 'DynamoDB', spec: {bucket: {name: 'files'}}})).toEqual([]);
		expect(
			messages({kind: 'Lambda', spec: {runtime: {launchType: 'FARGATE'}, backup: {maintenanceWindow: 'sun:03:00-sun:04:00'}}}),
		).toEqual([]);
		expect(messages({spec: {tableName: 'orders'}})).toEqual([]);
	});
});

describe('panka migrate', () => {
	it('rewrites every deprecated form in place, keeping comments; the result validates with no deprecation and plans the same', async () => {
		const dir = tempDir();
		cpSync(original, dir, {recursive: true});
		const plan = await planMigration(dir);
		expect(plan.problems).toEqual([]);
		expect(plan.files.map((f) => [f.file, f.created, f.changes.length])).toEqual([
			['services/api/app.yaml', false, 18], // the apiVersion of each of its 4 documents, and 14 forms
			['services/api/service.yaml', false, 2],
			['services/worker/queue.yaml', false, 1],
			['services/worker/service.yaml', true, 1],
			['stack.yaml', false, 3],
		]);
		await writeMigration(plan);

		const migrated = await load(dir);
		expect(migrated.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
		expect(planned(migrated)).toEqual(planned(await load(modern)));
		const app = readFileSync(path.join(dir, 'services/api/app.yaml'), 'utf8');
		expect(app).toContain('# The API server and what it keeps.');
		expect(app).toContain("repository: ${REPO} # the service's own variable, the original tool's way");
		expect(app).toContain('      projection:\n        type: ALL # every attribute\n');
		expect(app).toContain('  # Browsers upload receipts straight to the bucket.\n  cors:\n    rules:\n      - allowedOrigins:\n');
		expect(readFileSync(path.join(dir, 'stack.yaml'), 'utf8')).toMatch(
			/^# The orders platform, as the original tool's users wrote it\.\napiVersion: core\.panka\.io\/v1\n/,
		);
		// Migrating again finds nothing.
		expect((await planMigration(dir)).files).toEqual([]);
	});

	it('rewrites a single-file stack in place', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'stack.yaml');
		cpSync(singleFile, file);
		const plan = await planMigration(file);
		expect(plan.files.map((f) => f.file)).toEqual(['stack.yaml']);
		await writeMigration(plan);
		const migrated = await load(file);
		expect(migrated.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
		expect(planned(migrated)).toEqual(planned(await load(modern)));
	});

	it('keeps a spec.provider that disagrees with the tenant, and says why', async () => {
		const dir = tempDir();
		cpSync(original, dir, {recursive: true});
		const stackFile = path.join(dir, 'stack.yaml');
		writeFileSync(stackFile, readFileSync(stackFile, 'utf8').replace('region: us-east-1', 'region: eu-west-1'));
		const tenant = (await load(modern)).tenant!.config;
		const plan = await planMigration(dir, {tenant});
		expect(plan.problems).toEqual([
			{
				file: 'stack.yaml',
				line: 13,
				message:
					"kept spec.provider: its region eu-west-1 differs from tenant notifications-team's us-east-1; remove it yourself once you have chosen",
			},
		]);
		expect(plan.files.find((f) => f.file === 'stack.yaml')?.after).toContain('region: eu-west-1');
	});
});
