/**
 * Environments and promotion on moto, through the built binary, checked through AWS describe calls:
 * a stack declares staging and a protected production; `panka promote` refuses a staging never
 * applied; staging is applied with VERSION 2; promoting to production in CI is refused with --yes
 * alone, planned with staging's VERSION (saying so), and applied once --confirm-env names it. Each
 * environment's ECS task definition carries the promoted image tag and its own settings.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand} from '@aws-sdk/client-ecs';
import {expect, it} from 'vitest';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {nginxSite, writeStackFolder} from '../helpers/stack-fixture.js';

/** Staging and a protected production; the site's image tag is the promoted VERSION, its log level a per-environment variable. */
function releaseStack(stack: string): string {
	const spec = `variables:
  LEVEL: info
environments:
  staging:
    variables:
      LEVEL: debug
  production:
    protected: true
promote: [VERSION]
`;
	const site = nginxSite(
		'${VERSION:-1}',
		`  environment:
    - name: LOG_LEVEL
      value: "\${LEVEL}"
environments:
  production:
    runtime:
      cpu: 512
      memory: 1024
`,
	);
	return writeStackFolder(stack, {web: {'web.yaml': site}}, {spec});
}

describeAws('panka promote', () => {
	const moto = useMoto({env: {MOTO_ECS_SERVICE_RUNNING: '1'}});

	it('carries the VERSION staging deployed to a protected production, after a confirmation naming it', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init']).code).toBe(0);
		const {tenant} = world.initTenant('acme', {vpcCidr: '10.30.0.0/16', more: ['--nat-gateway']});
		const stack = `release-${Date.now().toString(36)}`;
		const dir = releaseStack(stack);

		const early = world.run(['promote', 'staging', 'production', dir, '--yes', '--confirm-env', 'production', '--no-tui'], tenant);
		expect(early.stderr).toContain('cannot promote from staging: staging has never been applied');
		expect(early.code).toBe(1);

		// The site's first deploy puts it behind an internet-facing load balancer: approved on its own.
		const staging = world.run(
			['apply', dir, '--env', 'staging', '--var', 'VERSION=2', '--yes', '--approve-broadening', '--no-tui'],
			tenant,
		);
		expect(staging.code, `${staging.stdout}\n${staging.stderr}`).toBe(0);

		const yesAlone = world.run(['promote', 'staging', 'production', dir, '--yes', '--no-tui'], tenant);
		expect(yesAlone.stderr).toContain(
			'production is a protected environment: promoting to it needs --confirm-env production (--yes alone is not enough)',
		);
		expect(yesAlone.code).toBe(2);
		const applyAlone = world.run(['apply', dir, '--env', 'production', '--yes', '--no-tui'], tenant);
		expect(applyAlone.stderr).toContain('applying it needs --confirm-env production (--yes alone is not enough)');
		expect(applyAlone.code).toBe(2);

		const planFile = path.join(world.root, 'promote.plan.json');
		const planned = world.run(['promote', 'staging', 'production', dir, '--out', planFile, '--no-tui'], tenant);
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).toContain('environment production [protected]');
		expect(planned.stdout).toMatch(/Promoting VERSION 2, deployed to staging at \d{4}-\d\d-\d\d \d\d:\d\d by \S+ \(state serial \d+\)/);
		expect(JSON.parse(readFileSync(planFile, 'utf8')).plan.promotion).toMatchObject({from: 'staging', variables: {VERSION: '2'}});

		const unconfirmed = world.run(['apply', planFile, '--no-tui'], tenant);
		expect(unconfirmed.code).toBe(2);
		const applied = world.run(['apply', planFile, '--confirm-env', 'production', '--approve-broadening', '--no-tui'], tenant);
		expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
		expect(applied.stdout).toContain('Promoting: VERSION 2, deployed to staging');

		// The history records the run as a promotion, from where.
		const [promoted] = JSON.parse(world.run(['history', dir, '--env', 'production', '--json'], tenant).stdout).deployments;
		expect(promoted).toMatchObject({operation: 'promote', promotedFrom: 'staging', outcome: 'completed'});

		const shown = world.run(['state', 'show', 'web/site', '--stack', dir, '--env', 'production'], tenant).stdout;
		expect(shown).toMatch(/^ {2}environment +production \[protected\]$/m);
		expect(shown).toMatch(/^ {2}released +VERSION 2 \(spec\.promote, as the last apply of production recorded\)$/m);

		// What each environment runs, as ECS has it.
		const ecs = moto.clients().get(ECSClient);
		const containers: Record<string, {image?: string; env: Record<string, string | undefined>; cpu?: string}> = {};
		for (const arn of (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns ?? []) {
			const described = await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: arn, include: ['TAGS']}));
			const tags = Object.fromEntries((described.tags ?? []).map((t) => [t.key, t.value]));
			if (tags['panka:stack'] !== stack) continue;
			const container = described.taskDefinition!.containerDefinitions![0]!;
			containers[tags['panka:env']!] = {
				image: container.image,
				env: Object.fromEntries((container.environment ?? []).map((e) => [e.name, e.value])),
				cpu: described.taskDefinition!.cpu,
			};
		}
		expect(containers.staging).toMatchObject({image: 'public.ecr.aws/nginx/nginx:2', env: {LOG_LEVEL: 'debug'}});
		expect(containers.production).toMatchObject({image: 'public.ecr.aws/nginx/nginx:2', env: {LOG_LEVEL: 'info'}, cpu: '512'});
		expect(containers.staging!.cpu).not.toBe('512');
	}, 240_000);
});
