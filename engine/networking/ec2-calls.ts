/**
 * The EC2 plumbing every networking module shares: one way to send a call (engine/aws/call.ts:
 * the abort signal, errors reduced by awsError), tag specifications, "already gone" detection, tag sync and the
 * DependencyViolation retry.
 *
 * Invariants:
 * - Every EC2 call of engine/networking goes through `send` (or a waiter given `call.signal`), so a
 *   second Ctrl-C aborts it and its error names the action and the resource.
 * - `isGone` is the single definition of "the resource is not there any more": deletes treat it as
 *   success (deletes are retried after crashes), reads treat it as absent.
 * - `retryWhileDependent` only retries `DependencyViolation` (AWS releases ENIs and mapped
 *   addresses seconds to minutes after the resource that held them is deleted), within
 *   `wait.maxWaitTime`, reporting progress; every other error fails at once.
 */
import {
	CreateTagsCommand,
	EC2Client,
	type EC2ClientResolvedConfig,
	type ResourceType,
	type ServiceInputTypes,
	type ServiceOutputTypes,
	type Tag,
	type TagSpecification,
} from '@aws-sdk/client-ec2';
import type {Command} from '@aws-sdk/types';
import type {AwsClients} from '../aws/aws-clients.js';
import {awsCall} from '../aws/call.js';
import {defaultWait, type WaitSettings} from '../providers/provider.js';
import {retryPolicyOf} from '../providers/wait.js';
import {retryWhile} from '../retry.js';

/** What a networking call needs: the tenant's EC2 client, the abort signal, progress, waits. */
export interface NetworkCall {
	ec2: EC2Client;
	signal: AbortSignal;
	progress(phase: string): void;
	wait: WaitSettings;
}

export function ec2Of(clients: AwsClients): EC2Client {
	return clients.get(EC2Client);
}

/** What a NetworkCall is made of: a ResourceContext, or any scope with clients and a signal (waits default to defaultWait). */
export interface NetworkScope {
	clients: AwsClients;
	signal: AbortSignal;
	progress?(phase: string): void;
	wait?: WaitSettings;
}

/** The NetworkCall of a scope: its tenant's EC2 client, signal, progress and waits. */
export function networkCallOf(scope: NetworkScope): NetworkCall {
	return {
		ec2: ec2Of(scope.clients),
		signal: scope.signal,
		progress: (phase) => scope.progress?.(phase),
		wait: scope.wait ?? defaultWait,
	};
}

/** Send one EC2 command through the engine's call path; failures become ProviderErrors naming `action` (e.g. `EC2 CreateVpc 10.0.0.0/16`). */
export function send<Input extends ServiceInputTypes, Output extends ServiceOutputTypes>(
	call: Pick<NetworkCall, 'ec2' | 'signal'>,
	action: string,
	command: Command<ServiceInputTypes, Input, ServiceOutputTypes, Output, EC2ClientResolvedConfig>,
): Promise<Output> {
	return awsCall(call, action, (options) => call.ec2.send(command, options));
}

const goneCodes = /(\.NotFound|NotFound)$/;

/** The AWS error code of a raw SDK error or of a ProviderError made by awsError. */
export function errorCode(error: unknown): string {
	const e = error as {code?: string; Code?: string; name?: string};
	return e.code ?? e.Code ?? e.name ?? '';
}

/** True when the error says the resource (or association, rule, attachment) no longer exists. */
export function isGone(error: unknown): boolean {
	const code = errorCode(error);
	return goneCodes.test(code) || code === 'Gateway.NotAttached';
}

/** Run a delete; "already gone" is success. */
export async function deleteIfPresent(run: () => Promise<unknown>): Promise<void> {
	try {
		await run();
	} catch (error) {
		if (!isGone(error)) throw error;
	}
}

export function tagSpecifications(resourceType: ResourceType, tags: Readonly<Record<string, string>>): TagSpecification[] {
	return [{ResourceType: resourceType, Tags: toTagList(tags)}];
}

export function toTagList(tags: Readonly<Record<string, string>>): Tag[] {
	return Object.entries(tags).map(([Key, Value]) => ({Key, Value}));
}

export function fromTagList(tags: readonly Tag[] | undefined): Record<string, string> {
	return Object.fromEntries((tags ?? []).filter((tag) => tag.Key !== undefined).map((tag) => [tag.Key!, tag.Value ?? '']));
}

/** Add or change the tags that differ from `desired` (tags added by hand are left alone). */
export async function syncTags(
	call: NetworkCall,
	resourceId: string,
	actual: Readonly<Record<string, string>>,
	desired: Readonly<Record<string, string>>,
): Promise<boolean> {
	const change = Object.fromEntries(Object.entries(desired).filter(([key, value]) => actual[key] !== value));
	if (Object.keys(change).length === 0) return false;
	await send(call, `EC2 CreateTags ${resourceId}`, new CreateTagsCommand({Resources: [resourceId], Tags: toTagList(change)}));
	return true;
}

/** Run `action`, retrying while AWS answers DependencyViolation, up to `wait.maxWaitTime` (engine/retry.ts backoff). */
export function retryWhileDependent<T>(call: NetworkCall, waitingFor: string, action: () => Promise<T>): Promise<T> {
	return retryWhile(retryPolicyOf(call), (error) => errorCode(error) === 'DependencyViolation', action, {
		onRetry: () => call.progress(`waiting for ${waitingFor}`),
	});
}

/** The waiter settings of the SDK from panka's WaitSettings (waiters need maxWaitTime > minDelay). */
export function waiterSettings(call: NetworkCall): {
	client: EC2Client;
	minDelay: number;
	maxDelay: number;
	maxWaitTime: number;
	abortSignal: AbortSignal;
} {
	const {minDelay, maxDelay, maxWaitTime} = call.wait;
	return {
		client: call.ec2,
		minDelay,
		maxDelay: Math.max(minDelay, maxDelay),
		maxWaitTime: Math.max(maxWaitTime, minDelay + 1),
		abortSignal: call.signal,
	};
}
