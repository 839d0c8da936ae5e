/**
 * The sweep after a destroy: what AWS still holds that is tagged for this (tenant, stack, env) and
 * that no state records any more, found by the panka identity tags, and on request deleted.
 *
 *   findLeftovers(clients, key)           every resource carrying the stack's identity tags
 *                                         (panka:tenant, panka:stack, panka:env): those of each
 *                                         kind, listed by the kind's own `leftovers` hook
 *                                         (engine/kinds/leftovers.ts), and those that belong to no
 *                                         one kind, listed here or by the module that owns them:
 *                                         EventBridge rules (providers/event-rules.ts: the
 *                                         EventBridge kind's and Lambda triggers'), Secrets Manager
 *                                         secrets under panka/{tenant}/, IAM roles, log groups,
 *                                         EC2 security groups
 *   leftover.remove()                     deletes one, after checking again that it is owned
 *                                         (requireOwned with the stack's identity tags)
 *
 * Invariants:
 * - Read-only until a leftover's `remove` is called; it never deletes what the ownership rule refuses.
 *   The ownership checks are made here, for every candidate of every kind: a candidate whose tags
 *   do not carry the stack's identity is never a leftover, and `remove` reads its tags again and
 *   applies the ownership rule before the hook's delete runs.
 * - Listing is by the stack's name prefix where the service lists by name and panka's names keep
 *   it (others are listed whole), then decided by tags: a name alone never makes a resource this stack's.
 * - Leftovers come in the order they can be deleted in (the candidates' `stage`, in
 *   `leftoverStages` order): what uses another thing first (ECS services before their cluster,
 *   load balancers before target groups, DB instances before their subnet and parameter groups,
 *   everything before the security groups and roles it used).
 * - Every AWS request goes through engine/aws/call.ts (the abort signal, errors named by action).
 * - A secret is deleted with Secrets Manager's recovery window.
 * - Called when the stack's state is gone (a complete destroy), so everything found is unknown
 *   to any state of this stack and environment.
 *
 * moto 5.2.1 answers every list, tag and delete call used here and by the kinds' hooks (none is
 * skipped); the e2e test (test/e2e/destroy-sweep.test.ts) deletes ECS services and clusters, RDS
 * instances, EventBridge rules and SQS queues, and lists the rest.
 */
import {
	CloudWatchLogsClient,
	DeleteLogGroupCommand,
	DescribeLogGroupsCommand,
	ListTagsForResourceCommand as ListLogTagsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {IAMClient, ListRolesCommand, ListRoleTagsCommand} from '@aws-sdk/client-iam';
import {DeleteSecretCommand, ListSecretsCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {setMaxListeners} from 'node:events';
import type {AwsClients} from '../aws/aws-clients.js';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {allPages, candidates, continuing, type LeftoverCandidate, type LeftoverScope, leftoverStages} from '../kinds/leftovers.js';
import {kindRegistry} from '../kinds/registry.js';
import {ruleLeftovers} from '../providers/event-rules.js';
import {deleteRole} from '../providers/iam-roles.js';
import {fromTagList, isOwnedBy, requireOwned, type TagMap} from '../providers/resource-tags.js';
import {secretNamespaceRoot} from '../providers/secret-namespace.js';
import type {StateKey} from '../state/state-document.js';

export interface Leftover {
	/** `SQS queue acme-shop-prod-orders`: the resource as the user finds it in the console. */
	what: string;
	/** The component its tags name (`service/component`), when they name one. */
	component?: string;
	tags: TagMap;
	/** Deletes it, once its tags say again that it is this stack's. */
	remove(): Promise<void>;
}

/** The identity tags every resource of this stack and environment carries. */
export function stackIdentityTags(key: StateKey): Record<string, string> {
	return {'panka:tenant': key.tenant, 'panka:stack': key.stack, 'panka:env': key.environment};
}

/** How long the sweep waits for AWS to finish a delete that takes time (a DB instance, an ECS service draining). */
const deleteWaitSeconds = 1800;

/** What panka left tagged for `key`, in the order it can be deleted in. `signal` aborts the requests in flight. */
export async function findLeftovers(clients: AwsClients, key: StateKey, signal = new AbortController().signal): Promise<Leftover[]> {
	const expected = stackIdentityTags(key);
	// Every listing and every tag read runs at once, each request listening on the one signal.
	setMaxListeners(0, signal);
	const sweep: Sweep = {clients, key, prefix: `${key.tenant}-${key.stack}-${key.environment}-`, signal, deleteWaitSeconds};
	const kindSweeps = await Promise.all(
		[...kindRegistry.values()].flatMap((definition) => (definition.leftovers ? [definition.leftovers()] : [])),
	);
	const found = (await Promise.all([...kindSweeps, ruleLeftovers, ...sharedSweeps].map((list) => list(sweep)))).flat();
	const tagged = await Promise.all(found.map(async (candidate) => ({candidate, tags: await candidate.tags()})));
	return tagged
		.filter(({tags}) => isOwnedBy(tags, expected))
		.sort((a, b) => stageOrder(a.candidate) - stageOrder(b.candidate) || a.candidate.what.localeCompare(b.candidate.what))
		.map(({candidate, tags}) => {
			const service = tags['panka:service'];
			const component = tags['panka:component'];
			return {
				what: candidate.what,
				tags,
				...(service && component ? {component: `${service}/${component}`} : {}),
				async remove() {
					requireOwned(await candidate.tags(), expected, 'delete', candidate.what);
					await candidate.delete();
				},
			};
		});
}

const stageOrder = (candidate: LeftoverCandidate) => leftoverStages.indexOf(candidate.stage);

interface Sweep extends LeftoverScope {
	key: StateKey;
}

type SharedSweep = (sweep: Sweep) => Promise<LeftoverCandidate[]>;

/** The sweep's own listings: resources that belong to no one kind (see the header). */
const sharedSweeps: SharedSweep[] = [
	async (sweep) => {
		const {key} = sweep;
		const secrets = sweep.clients.get(SecretsManagerClient);
		const namespace = `${secretNamespaceRoot}/${key.tenant}/`;
		const listSecrets = (action: string, name: string, token?: string) =>
			awsCall(sweep, action, (o) =>
				secrets.send(new ListSecretsCommand({Filters: [{Key: 'name', Values: [name]}], ...continuing(token, 'NextToken')}), o),
			);
		const names = await allPages(async (token) => {
			const page = await listSecrets('Secrets Manager ListSecrets', namespace, token);
			const items = (page.SecretList ?? []).flatMap((s) => (s.Name?.startsWith(namespace) && !s.DeletedDate ? [s.Name] : []));
			return {items, next: page.NextToken};
		});
		return candidates(
			'users',
			names,
			(name) => `secret ${name}`,
			async (name) =>
				fromTagList((await listSecrets(`Secrets Manager ListSecrets ${name}`, name)).SecretList?.find((s) => s.Name === name)?.Tags),
			(name) =>
				awsCallUnlessMissing(sweep, `Secrets Manager DeleteSecret ${name}`, ['ResourceNotFoundException'], (o) =>
					secrets.send(new DeleteSecretCommand({SecretId: name}), o),
				),
		);
	},
	async (sweep) => {
		const {prefix, key, clients} = sweep;
		const iam = clients.get(IAMClient);
		const names = await allPages(async (marker) => {
			const page = await awsCall(sweep, 'IAM ListRoles', (o) => iam.send(new ListRolesCommand(continuing(marker, 'Marker')), o));
			return {
				items: (page.Roles ?? []).map((r) => r.RoleName ?? '').filter((name) => name.startsWith(prefix)),
				next: page.IsTruncated ? page.Marker : undefined,
			};
		});
		// deleteRole removes the role's policies first, as IAM requires (ownership is checked by the sweep and by it).
		const context = {clients, signal: sweep.signal, progress: () => {}, tags: stackIdentityTags(key)};
		return candidates(
			'foundations',
			names,
			(name) => `IAM role ${name}`,
			async (name) =>
				fromTagList((await awsCall(sweep, `IAM ListRoleTags ${name}`, (o) => iam.send(new ListRoleTagsCommand({RoleName: name}), o))).Tags),
			(name) => deleteRole(context, name),
		);
	},
	async (sweep) => {
		const {key} = sweep;
		const logs = sweep.clients.get(CloudWatchLogsClient);
		const groups = await allPages(async (token) => {
			const page = await awsCall(sweep, 'CloudWatch Logs DescribeLogGroups', (o) =>
				logs.send(
					new DescribeLogGroupsCommand({
						logGroupNamePrefix: `/panka/${key.tenant}/${key.stack}/${key.environment}/`,
						...continuing(token, 'nextToken'),
					}),
					o,
				),
			);
			const items = (page.logGroups ?? []).flatMap((g) =>
				g.logGroupName && g.arn ? [{name: g.logGroupName, arn: g.arn.replace(/:\*$/, '')}] : [],
			);
			return {items, next: page.nextToken};
		});
		return candidates(
			'users',
			groups,
			({name}) => `log group ${name}`,
			async ({arn, name}) =>
				(
					await awsCall(sweep, `CloudWatch Logs ListTagsForResource ${name}`, (o) =>
						logs.send(new ListLogTagsCommand({resourceArn: arn}), o),
					)
				).tags ?? {},
			({name}) =>
				awsCallUnlessMissing(sweep, `CloudWatch Logs DeleteLogGroup ${name}`, ['ResourceNotFoundException'], (o) =>
					logs.send(new DeleteLogGroupCommand({logGroupName: name}), o),
				),
		);
	},
	async (sweep) => {
		const {key} = sweep;
		const ec2 = sweep.clients.get(EC2Client);
		const filters = Object.entries(stackIdentityTags(key)).map(([name, value]) => ({Name: `tag:${name}`, Values: [value]}));
		const groups =
			(await awsCall(sweep, 'EC2 DescribeSecurityGroups', (o) => ec2.send(new DescribeSecurityGroupsCommand({Filters: filters}), o)))
				.SecurityGroups ?? [];
		return candidates(
			'foundations',
			groups.map((group) => ({id: group.GroupId ?? '', name: group.GroupName ?? ''})),
			({id, name}) => `security group ${id} (${name})`,
			async ({id}) =>
				fromTagList(
					(
						await awsCall(sweep, `EC2 DescribeSecurityGroups ${id}`, (o) =>
							ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [id]}), o),
						)
					).SecurityGroups?.[0]?.Tags,
				),
			({id}) => awsCall(sweep, `EC2 DeleteSecurityGroup ${id}`, (o) => ec2.send(new DeleteSecurityGroupCommand({GroupId: id}), o)),
		);
	},
];
