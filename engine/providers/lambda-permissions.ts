/**
 * Lambda resource-policy statements that let an EventBridge rule invoke a function: used by the
 * Lambda provider (its own schedule triggers) and the EventBridge provider (Lambda targets).
 *
 * Invariants:
 * - One statement per (function, rule): StatementId `PankaEvents<hash of the rule ARN>`, principal
 *   events.amazonaws.com, action lambda:InvokeFunction, SourceArn = the rule ARN. Statements
 *   panka did not add are never touched.
 * - Idempotent: granting again finds the statement and does nothing; a statement with that id but
 *   another principal or source is replaced (RemovePermission, then AddPermission). Two runs
 *   racing to add it both succeed (ResourceConflictException on the same id is success).
 * - Revoking a statement, or on a function, that is gone is success.
 */
import {AddPermissionCommand, GetPolicyCommand, LambdaClient, RemovePermissionCommand} from '@aws-sdk/client-lambda';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode} from '../aws/call.js';
import type {ResourceContext} from './provider.js';
import {ruleStatementSid} from './event-rules.js';
import type {ResourcePolicyStatement} from './resource-policies.js';

type PermissionContext = Pick<ResourceContext, 'clients' | 'signal'>;

const eventsPrincipal = 'events.amazonaws.com';
const missing = ['ResourceNotFoundException'];

function lambda(context: PermissionContext): LambdaClient {
	return context.clients.get(LambdaClient);
}

/** The function's policy statements; none when it has no policy (or is gone). */
async function functionPolicyStatements(context: PermissionContext, functionName: string): Promise<ResourcePolicyStatement[]> {
	const policy = await awsCallUnlessMissing(context, `Lambda GetPolicy ${functionName}`, missing, (options) =>
		lambda(context).send(new GetPolicyCommand({FunctionName: functionName}), options),
	);
	if (!policy?.Policy) return [];
	const statements = (JSON.parse(policy.Policy) as {Statement?: ResourcePolicyStatement | ResourcePolicyStatement[]}).Statement ?? [];
	return Array.isArray(statements) ? statements : [statements];
}

/** Does any condition value of the statement name `arn`? (AWS writes ArnLike AWS:SourceArn.) */
function conditionNames(statement: ResourcePolicyStatement, arn: string): boolean {
	const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
	return Object.values(condition ?? {}).some((operator) =>
		Object.values(operator ?? {}).some((value) => value === arn || (Array.isArray(value) && value.includes(arn))),
	);
}

function allowsRule(statement: ResourcePolicyStatement, ruleArn: string): boolean {
	const principal = statement.Principal as {Service?: string} | string | undefined;
	const service = typeof principal === 'string' ? principal : principal?.Service;
	return service === eventsPrincipal && conditionNames(statement, ruleArn);
}

/** Let the rule invoke the function (function name or ARN). */
export async function allowRuleToInvoke(context: PermissionContext, functionName: string, ruleArn: string): Promise<void> {
	const statementId = ruleStatementSid(ruleArn);
	const existing = (await functionPolicyStatements(context, functionName)).find((statement) => statement.Sid === statementId);
	if (existing && allowsRule(existing, ruleArn)) return;
	if (existing) await revokeRuleInvoke(context, functionName, ruleArn);
	try {
		await awsCall(context, `Lambda AddPermission ${functionName} ${statementId}`, (options) =>
			lambda(context).send(
				new AddPermissionCommand({
					FunctionName: functionName,
					StatementId: statementId,
					Action: 'lambda:InvokeFunction',
					Principal: eventsPrincipal,
					SourceArn: ruleArn,
				}),
				options,
			),
		);
	} catch (error) {
		const raced = hasAwsErrorCode(error, 'ResourceConflictException') && /already exists/i.test((error as Error).message ?? '');
		if (!raced) throw error;
	}
}

/** Remove the rule's statement from the function's policy, if both exist. */
export async function revokeRuleInvoke(context: PermissionContext, functionName: string, ruleArn: string): Promise<void> {
	const statementId = ruleStatementSid(ruleArn);
	await awsCallUnlessMissing(context, `Lambda RemovePermission ${functionName} ${statementId}`, missing, (options) =>
		lambda(context).send(new RemovePermissionCommand({FunctionName: functionName, StatementId: statementId}), options),
	);
}
