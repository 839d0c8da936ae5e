/**
 * The admin's guardrails through the CLI, without AWS: `admin tenant init --require-approval` and
 * `--config` policies are recorded and shown; a bad rule is a usage error naming the choices; a
 * stack is validated against the tenant's policies (diagnostics at file:line:col with the rule's
 * code); `panka plan` says what widens access (text and --json); a tenant whose rule is
 * `any-change` refuses `apply --yes` before anything runs. (Applying with and without
 * --approve-broadening is specified on moto: test/e2e/broadening.test.ts.)
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {expectDocument} from '../helpers/json-schemas.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {demoStack, demoTenant} from '../helpers/stack-fixture.js';

const policies = '  requireApproval: any-change\n  policies:\n    rdsInstanceClasses: [db.t3.micro, db.t3.small]\n    maxReplicas: 10\n';

function strictWorld() {
	const world = pankaWorld();
	expect(world.run(['admin', 'init']).code).toBe(0);
	const config = path.join(world.root, 'strict-tenant.yaml');
	writeFileSync(config, `${readFileSync(demoTenant, 'utf8')}${policies}`);
	return {world, tenant: world.initTenant('notifications-team', {config}).tenant};
}

describe('the tenant config', () => {
	it('records --require-approval (at init, and changed by update), and tenant show says the rule and the policies', () => {
		const world = pankaWorld();
		expect(world.run(['admin', 'init']).code).toBe(0);
		world.initTenant('open-team', {more: ['--require-approval', 'never']});
		const show = world.run(['admin', 'tenant', 'show', 'open-team']);
		expect(show.stdout).toMatch(/^Approval +no change needs its own approval \(requireApproval never\)$/m);
		expect(show.stdout).toMatch(/^Policies +none$/m);
		expect(JSON.parse(world.run(['admin', 'tenant', 'show', 'open-team', '--json']).stdout).config.spec.requireApproval).toBe('never');
		const updated = world.run(['admin', 'tenant', 'update', 'open-team', '--require-approval', 'any-change']);
		expect(updated.code, updated.stderr).toBe(0);
		expect(world.run(['admin', 'tenant', 'show', 'open-team']).stdout).toMatch(/^Approval +every change is approved in a review/m);

		const {world: strict} = strictWorld();
		const shown = strict.run(['admin', 'tenant', 'show', 'notifications-team']).stdout;
		expect(shown).toMatch(/^Approval +every change is approved in a review; --yes is refused \(requireApproval any-change\)$/m);
		expect(shown).toMatch(/^Policies +RDS classes db\.t3\.micro, db\.t3\.small; at most 10 replicas$/m);
	});

	it('refuses a rule it does not know, naming the choices', () => {
		const world = pankaWorld();
		expect(world.run(['admin', 'init']).code).toBe(0);
		const init = world.run([
			'admin',
			'tenant',
			'init',
			'x-team',
			'--aws-account',
			'123456789012',
			'--region',
			'us-east-1',
			'--require-approval',
			'sometimes',
		]);
		expect(init.code).toBe(2);
		expect(init.stderr).toContain('--require-approval');
		expect(init.stderr).toMatch(/broadening.*any-change.*never/);
	});
});

describe('a stack of a strict tenant', () => {
	const {world, tenant} = strictWorld();

	it('is validated against its policies, each break at its file:line:col with the rule’s code', () => {
		const result = world.run(['validate', demoStack, '--env', 'production'], tenant);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain(
			'services/api/resources.yaml:17:12  error  RDS instance class db.t3.medium is not allowed for tenant notifications-team (allowed: db.t3.micro, db.t3.small)  [policy-rds-instance-class]',
		);
		const json = JSON.parse(world.run(['validate', demoStack, '--env', 'staging', '--json'], tenant).stdout);
		// Staging's own override (db.t3.micro) keeps the policy.
		expect(json.diagnostics.filter((d: {code: string}) => d.code.startsWith('policy-'))).toEqual([]);
	});

	it('plans with what widens access, in text and in --json', () => {
		const text = world.run(['plan', demoStack, '--env', 'staging', '--no-tui'], tenant);
		expect(text.code, text.stderr).toBe(0);
		expect(text.stdout).toContain('⚠ widens access: ingress 443/tcp from 0.0.0.0/0 (the internet) on the stack security group');
		expect(text.stdout).toContain(
			'5 changes widen access and need their own approval (in the review, or --approve-broadening with --yes):',
		);
		expect(text.stdout).toContain(
			'\n  stack#security-group, api/api-server, worker/processor, scheduler/cron-job, scheduler/daily-digest\n',
		);
		expect(text.stdout).toContain('⚠ widens access: new permission: rule scheduler/daily-digest may invoke notification-queue (target)');
		// Saved without a review, the plan is applied as --yes would: the hint names the flag those changes need.
		const saved = world.run(
			['plan', demoStack, '--env', 'staging', '--out', path.join(world.root, 'staging.plan.json'), '--no-tui'],
			tenant,
		);
		expect(saved.stdout).toMatch(
			/apply it with: panka apply \S*staging\.plan\.json --approve-broadening \(it widens access; without the flag those changes wait\)/,
		);
		const json = expectDocument(world.run(['plan', demoStack, '--env', 'staging', '--json'], tenant).stdout) as {
			changes: Array<{address: string; broadening?: Array<{class: string; what: string}>}>;
		};
		expect(json.changes.filter((c) => c.broadening).map((c) => c.address)).toEqual([
			'stack#security-group',
			'api/api-server',
			'worker/processor',
			'scheduler/cron-job',
			'scheduler/daily-digest',
		]);
		expect(json.changes.find((c) => c.address === 'api/api-server')?.broadening?.[1]).toEqual({
			class: 'secret-access',
			what: 'secret staging/api/db-password becomes readable by the tasks of api/api-server',
		});
	});

	it('is not applied on --yes when every change needs a review', () => {
		const apply = world.run(['apply', demoStack, '--env', 'staging', '--yes', '--approve-broadening', '--no-tui'], tenant);
		expect(apply.stderr).toContain(
			'panka: apply refused: tenant notifications-team requires every change to be approved in a review (requireApproval: any-change); --yes is not enough',
		);
		expect(apply.code).toBe(1);
		expect(world.run(['state', 'list', '--stack', demoStack, '--env', 'staging', '--json'], tenant).stdout).not.toContain('api-server');
	});
});
