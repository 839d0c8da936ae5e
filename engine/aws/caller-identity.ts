/**
 * Who the credentials are on AWS (STS GetCallerIdentity): the one answer for admin init's identity,
 * --create-role's trusted principal and the tenant access checks.
 *
 * Invariant: a failure is the SDK's own error (keepSdkError), for the caller to put in a sentence
 * of its own; an answer without an ARN or account is an error, never an empty identity.
 */
import {GetCallerIdentityCommand} from '@aws-sdk/client-sts';
import type {AwsClients} from './aws-clients.js';
import {awsCall, keepSdkError} from './call.js';

export interface CallerIdentity {
	arn: string;
	account: string;
}

export async function callerIdentityOf(clients: AwsClients, signal: AbortSignal = new AbortController().signal): Promise<CallerIdentity> {
	const answer = await awsCall(
		{signal},
		'STS GetCallerIdentity',
		(options) => clients.sts().send(new GetCallerIdentityCommand({}), options),
		{
			failure: keepSdkError,
		},
	);
	if (!answer.Arn || !answer.Account) throw new Error('STS GetCallerIdentity returned no identity');
	return {arn: answer.Arn, account: answer.Account};
}
