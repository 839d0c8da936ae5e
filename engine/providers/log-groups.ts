/**
 * CloudWatch log groups for compute kinds: `/panka/{tenant}/{stack}/{env}/{component}`, created
 * with a retention period and the resource's tags, before the function or task that writes to it
 * (so AWS never auto-creates an untagged, never-expiring group).
 *
 * Invariants: ensure is idempotent and reconciles retention; delete of a missing group succeeds.
 */
import {
	CloudWatchLogsClient,
	CreateLogGroupCommand,
	DeleteLogGroupCommand,
	DescribeLogGroupsCommand,
	PutRetentionPolicyCommand,
	TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode} from './aws-errors.js';
import type {ResourceContext} from './provider.js';

/** Days CloudWatch accepts as a retention period. */
export const retentionDays = [
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export const defaultRetentionDays = 30;

function logs(context: Pick<ResourceContext, 'clients'>): CloudWatchLogsClient {
	return context.clients.get(CloudWatchLogsClient);
}

/** Create or reconcile the group; returns its ARN (without the trailing `:*`). */
export async function ensureLogGroup(
	context: Pick<ResourceContext, 'clients' | 'signal' | 'tags' | 'progress' | 'region' | 'accountId'>,
	name: string,
	retention = defaultRetentionDays,
): Promise<string> {
	const options = {abortSignal: context.signal};
	const found = await describeLogGroup(context, name);
	if (!found) {
		context.progress(`creating log group ${name}`);
		try {
			await logs(context).send(new CreateLogGroupCommand({logGroupName: name, tags: {...context.tags}}), options);
		} catch (error) {
			if (!hasAwsErrorCode(error, 'ResourceAlreadyExistsException')) throw error;
		}
	}
	if (found?.retentionInDays !== retention)
		await awsCall(`Logs PutRetentionPolicy ${name}`, () =>
			logs(context).send(new PutRetentionPolicyCommand({logGroupName: name, retentionInDays: retention}), options),
		);
	const arn = `arn:aws:logs:${context.region}:${context.accountId}:log-group:${name}`;
	if (found)
		await awsCall(`Logs TagResource ${name}`, () =>
			logs(context).send(new TagResourceCommand({resourceArn: arn, tags: {...context.tags}}), options),
		);
	return arn;
}

export async function describeLogGroup(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	name: string,
): Promise<{arn?: string; retentionInDays?: number} | undefined> {
	const {logGroups = []} = await awsCall(`Logs DescribeLogGroups ${name}`, () =>
		logs(context).send(new DescribeLogGroupsCommand({logGroupNamePrefix: name}), {abortSignal: context.signal}),
	);
	const group = logGroups.find((g) => g.logGroupName === name);
	return group
		? {
				...(group.arn ? {arn: group.arn.replace(/:\*$/, '')} : {}),
				...(group.retentionInDays !== undefined ? {retentionInDays: group.retentionInDays} : {}),
			}
		: undefined;
}

export async function deleteLogGroup(context: Pick<ResourceContext, 'clients' | 'signal'>, name: string): Promise<void> {
	await awsCallUnlessMissing(`Logs DeleteLogGroup ${name}`, ['ResourceNotFoundException'], () =>
		logs(context).send(new DeleteLogGroupCommand({logGroupName: name}), {abortSignal: context.signal}),
	);
}
