/**
 * The function's log group and execution role: the log group exists before the function, and the
 * role holds exactly what the provider's header lists (logs, sqs triggers, value sources, VPC).
 */
import {partitionOf} from '../../providers/arn.js';
import {ensureRole, type RoleSpec} from '../../providers/iam-roles.js';
import {ensureLogGroup} from '../../providers/log-groups.js';
import type {ResourceContext} from '../../providers/provider.js';
import {valueSourceStatements} from '../../providers/value-sources.js';
import type {LambdaSpec} from '../lambda.js';
import type {DesiredFunction} from './desired.js';
import {sqsConsumerActions} from '../lambda.js';
import {requiredName} from './shared.js';

function roleSpec(context: ResourceContext, spec: LambdaSpec, desired: DesiredFunction, logGroupArn: string): RoleSpec {
	const queues = [...new Set(desired.sqsTriggers.map((trigger) => trigger.queueArn))];
	return {
		name: requiredName(context, 'role'),
		service: 'lambda.amazonaws.com',
		description: `panka: execution role of Lambda ${context.address}`,
		inline: {
			'panka-logs': [{Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroupArn}:*`}],
			'panka-sqs-triggers':
				queues.length > 0 ? [{Effect: 'Allow', Action: sqsConsumerActions, Resource: queues.length === 1 ? queues[0]! : queues}] : [],
			'panka-value-sources': valueSourceStatements(context.valueSources),
		},
		managed: spec.vpc?.enabled ? [`arn:${partitionOf(context.region)}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`] : [],
	};
}

/** The log group, then the role; returns the role ARN. */
export async function ensureLogGroupAndRole(context: ResourceContext, spec: LambdaSpec, desired: DesiredFunction): Promise<string> {
	const logGroupArn = await ensureLogGroup(context, requiredName(context, 'logGroup'));
	return ensureRole(context, roleSpec(context, spec, desired, logGroupArn));
}
