/**
 * CloudWatch log groups for compute kinds: `/panka/{tenant}/{stack}/{env}/{component}`, created
 * with a retention period and the resource's tags, before the function or task that writes to it
 * (so AWS never auto-creates an untagged, never-expiring group).
 *
 * Invariants: ensure is idempotent and reconciles retention and tags; delete of a missing group
 * succeeds. A group of another component, stack, environment or tenant is never adopted,
 * re-tagged or deleted (`requireOwned`).
 */
import {
	CloudWatchLogsClient,
	CreateLogGroupCommand,
	DeleteLogGroupCommand,
	DescribeLogGroupsCommand,
	ListTagsForResourceCommand,
	PutRetentionPolicyCommand,
	TagResourceCommand,
	UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode} from '../aws/call.js';
import {defaultRetentionDays} from './log-retention.js';
import type {ResourceContext} from './provider.js';
import {applyTagChanges, type OwnershipAction, requireOwned} from './resource-tags.js';

/** Days CloudWatch accepts as a retention period. */
export const retentionDays = [
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export {defaultRetentionDays};

function logs(context: Pick<ResourceContext, 'clients'>): CloudWatchLogsClient {
	return context.clients.get(CloudWatchLogsClient);
}

/** Create or reconcile the group; returns its ARN (without the trailing `:*`). */
export async function ensureLogGroup(
	context: Pick<ResourceContext, 'clients' | 'signal' | 'tags' | 'progress' | 'region' | 'accountId'>,
	name: string,
	retention = defaultRetentionDays,
): Promise<string> {
	const arn = logGroupArn(context, name);
	const found = await describeLogGroup(context, name);
	const tags = found ? await ownedLogGroupTags(context, name, arn, 'adopt') : undefined;
	if (!found) {
		context.progress(`creating log group ${name}`);
		try {
			await awsCall(context, `Logs CreateLogGroup ${name}`, (options) =>
				logs(context).send(new CreateLogGroupCommand({logGroupName: name, tags: {...context.tags}}), options),
			);
		} catch (error) {
			if (!hasAwsErrorCode(error, 'ResourceAlreadyExistsException')) throw error;
			// Created meanwhile (a retry whose first answer was lost): only ever ours to continue with.
			await ownedLogGroupTags(context, name, arn, 'adopt');
		}
	}
	if (found?.retentionInDays !== retention)
		await awsCall(context, `Logs PutRetentionPolicy ${name}`, (options) =>
			logs(context).send(new PutRetentionPolicyCommand({logGroupName: name, retentionInDays: retention}), options),
		);
	if (tags)
		await applyTagChanges(tags, context.tags, {
			untag: (tagKeys) =>
				awsCall(context, `Logs UntagResource ${name}`, (options) =>
					logs(context).send(new UntagResourceCommand({resourceArn: arn, tagKeys}), options),
				),
			tag: (set) =>
				awsCall(context, `Logs TagResource ${name}`, (options) =>
					logs(context).send(new TagResourceCommand({resourceArn: arn, tags: set}), options),
				),
		});
	return arn;
}

function logGroupArn(context: Pick<ResourceContext, 'region' | 'accountId'>, name: string): string {
	return `arn:aws:logs:${context.region}:${context.accountId}:log-group:${name}`;
}

/** The group's tags, after checking it is this component's (the ownership rule of resource-tags.ts). */
async function ownedLogGroupTags(
	context: Pick<ResourceContext, 'clients' | 'signal' | 'tags'>,
	name: string,
	arn: string,
	action: OwnershipAction,
): Promise<Record<string, string>> {
	const {tags = {}} = await awsCall(context, `Logs ListTagsForResource ${name}`, (options) =>
		logs(context).send(new ListTagsForResourceCommand({resourceArn: arn}), options),
	);
	requireOwned(tags, context.tags, action, `log group ${name}`);
	return tags;
}

export async function describeLogGroup(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	name: string,
): Promise<{arn?: string; retentionInDays?: number} | undefined> {
	const {logGroups = []} = await awsCall(context, `Logs DescribeLogGroups ${name}`, (options) =>
		logs(context).send(new DescribeLogGroupsCommand({logGroupNamePrefix: name}), options),
	);
	const group = logGroups.find((g) => g.logGroupName === name);
	return group
		? {
				...(group.arn ? {arn: group.arn.replace(/:\*$/, '')} : {}),
				...(group.retentionInDays !== undefined ? {retentionInDays: group.retentionInDays} : {}),
			}
		: undefined;
}

/** Delete the group (this component's: checked first); a group already gone is success. */
export async function deleteLogGroup(
	context: Pick<ResourceContext, 'clients' | 'signal' | 'tags' | 'region' | 'accountId'>,
	name: string,
): Promise<void> {
	if (!(await describeLogGroup(context, name))) return;
	await ownedLogGroupTags(context, name, logGroupArn(context, name), 'delete');
	await awsCallUnlessMissing(context, `Logs DeleteLogGroup ${name}`, ['ResourceNotFoundException'], (options) =>
		logs(context).send(new DeleteLogGroupCommand({logGroupName: name}), options),
	);
}
