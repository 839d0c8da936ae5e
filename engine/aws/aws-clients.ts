/**
 * AWS SDK v3 clients for one identity, created once each and shared.
 *
 * Invariants:
 * - Credentials, region and endpoint come from the standard chain (AWS_PROFILE, AWS_REGION,
 *   AWS_ENDPOINT_URL, …) unless the caller passes them; the engine itself reads no environment
 *   (source/aws-settings.ts turns the environment into AwsSettings).
 * - With `allowedHosts`, every request to any other host fails before it is sent. Tests and the
 *   demo set it to 127.0.0.1, so nothing can reach real AWS by accident.
 * - With `agent`, every request of every client goes through it (the proxy agent).
 * - `forTenant(roleArn)` returns clients that act with credentials from STS AssumeRole (the SDK's
 *   temporary-credentials provider, fetched once for all the clients and refreshed: assumed-role.ts); `inTenantAccount(aws)` is what everything done in a tenant's account uses: the
 *   tenant's region (never AWS_REGION, which is the caller's shell talking) and its role, if any.
 * - Every client sends to its configured endpoint: a recorded SQS queue URL is a name, never the
 *   host a request goes to (`useQueueUrlAsEndpoint: false`), so a URL recorded against another
 *   endpoint (a moto port, a public endpoint when a VPC one is configured) cannot redirect calls.
 * - Every client's errors are readable: a response whose body is not an AWS error (a bare 503 from
 *   a proxy or a throttled front end, an HTML page) becomes one line naming the HTTP status, the
 *   service and the operation (`readableErrors`), keeping the status and fault so the SDK's retry
 *   strategy retries it like any transient error (5xx, 429). This is the one place for it; the
 *   call path (call.ts) maps what remains into ProviderErrors.
 */
import {CloudWatchClient} from '@aws-sdk/client-cloudwatch';
import {S3Client} from '@aws-sdk/client-s3';
import {STSClient} from '@aws-sdk/client-sts';
import {assumedRoleCredentials} from './assumed-role.js';
import type {AwsSettings, RequestMiddlewareStack} from './aws-settings.js';

export type {AwsSettings, RequestMiddlewareStack} from './aws-settings.js';

// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors differ only in their config type
type ClientConstructor<C> = new (config: any) => C;

interface MiddlewareClient {
	send(command: object, ...rest: unknown[]): Promise<unknown>;
	middlewareStack: RequestMiddlewareStack;
	destroy(): void;
}

export class AwsClients {
	readonly #clients = new Map<ClientConstructor<unknown>, MiddlewareClient>();

	constructor(readonly settings: AwsSettings = {}) {}

	/** The shared client of a given SDK class, created on first use. */
	get<C>(Client: ClientConstructor<C>, extra: Record<string, unknown> = {}): C {
		let client = this.#clients.get(Client as ClientConstructor<unknown>);
		if (!client) {
			const {region, endpoint, credentials, maxAttempts, agent} = this.settings;
			client = new Client({
				...(region ? {region} : {}),
				...(endpoint ? {endpoint} : {}),
				...(credentials ? {credentials} : {}),
				...(maxAttempts ? {maxAttempts} : {}),
				// SQS would otherwise send to the host of the QueueUrl it is given (see the header).
				...(Client.name === 'SQSClient' ? {useQueueUrlAsEndpoint: false} : {}),
				...(agent ? {requestHandler: {httpAgent: agent, httpsAgent: agent}} : {}),
				...extra,
			}) as MiddlewareClient;
			this.addMiddleware(client.middlewareStack);
			observeSends(client, this.settings.onSend);
			this.#clients.set(Client as ClientConstructor<unknown>, client);
		}
		return client as C;
	}

	/** What every request of these clients goes through: the allowed hosts, readable errors. */
	addMiddleware(stack: RequestMiddlewareStack): void {
		guardHosts(stack, this.settings.allowedHosts);
		readableErrors(stack);
	}

	s3(): S3Client {
		return this.get(S3Client, this.settings.forcePathStyle ? {forcePathStyle: true} : {});
	}

	sts(): STSClient {
		return this.get(STSClient);
	}

	/** CloudWatch metrics (GetMetricData: the health facts AWS gives only as metrics, engine/status/metrics.ts). */
	cloudWatch(): CloudWatchClient {
		return this.get(CloudWatchClient);
	}

	/** Clients that act as `roleArn`: credentials from STS AssumeRole, fetched once for all of them and refreshed before expiry. */
	forTenant(roleArn: string, sessionName: string): AwsClients {
		const credentials = assumedRoleCredentials(this.settings, roleArn, sessionName, (stack) => this.addMiddleware(stack));
		return new AwsClients({...this.settings, credentials});
	}

	/**
	 * Clients for the tenant's account: always in the tenant's region (a shell's AWS_REGION must not
	 * send a tenant's resources elsewhere), through AssumeRole when the tenant config names a role.
	 */
	inTenantAccount(aws: {region: string; assumeRoleArn?: string | undefined}, sessionName: string): AwsClients {
		const regional = new AwsClients({...this.settings, region: aws.region});
		return aws.assumeRoleArn ? regional.forTenant(aws.assumeRoleArn, sessionName) : regional;
	}

	destroy(): void {
		for (const client of this.#clients.values()) client.destroy();
		this.#clients.clear();
	}
}

function observeSends(client: MiddlewareClient, onSend: AwsSettings['onSend']): void {
	if (!onSend) return;
	const send = client.send.bind(client);
	client.send = (command, ...rest) => {
		onSend(client, command);
		return send(command, ...rest);
	};
}

const httpStatusText: Readonly<Record<number, string>> = {
	400: 'Bad Request',
	403: 'Forbidden',
	404: 'Not Found',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** The error code a readable error gets: `ServiceUnavailable` for a 503, `Http418` for a status without a name. */
function statusCode(status: number): string {
	return httpStatusText[status]?.replace(/ /g, '') ?? `Http${status}`;
}

/**
 * Maps, on every attempt (inside the SDK's retry, outside its deserializer), an error whose body
 * the SDK could not read into `${Service} ${Operation}: HTTP 503 Service Unavailable (the response
 * was not an AWS error)`, named after the status, with its `$metadata` and `$fault`; 5xx and 429
 * stay retryable as the SDK's standard strategy decides by status.
 */
export function readableErrors(stack: RequestMiddlewareStack): void {
	stack.add(
		(next, context) => async (args) => {
			try {
				return await next(args);
			} catch (error) {
				throw readableError(error, context.clientName, context.commandName);
			}
		},
		{step: 'finalizeRequest', name: 'pankaReadableErrors', priority: 'low'},
	);
}

/** `error` as it is, unless it is an unreadable response (see readableErrors). */
export function readableError(error: unknown, clientName?: string, commandName?: string): unknown {
	if (!(error instanceof Error)) return error;
	const e = error as Error & {$metadata?: {httpStatusCode?: number}; $fault?: string; $response?: unknown};
	const status = e.$metadata?.httpStatusCode;
	if (status === undefined) return error;
	const unreadable =
		e.message.includes('Deserialization error') ||
		((e.name === 'Unknown' || e.name === 'UnknownError') && /^Unknown(Error)?$/.test(e.message));
	if (!unreadable) return error;
	const service = clientName?.replace(/Client$/, '') ?? 'AWS';
	const operation = commandName?.replace(/Command$/, '') ?? 'call';
	const readable = new Error(
		`${service} ${operation}: HTTP ${status}${httpStatusText[status] ? ` ${httpStatusText[status]}` : ''} (the response was not an AWS error, so it says no more)`,
		{cause: error},
	);
	readable.name = statusCode(status);
	return Object.assign(readable, {
		$metadata: e.$metadata,
		$fault: status >= 500 ? 'server' : 'client',
		...(status === 429 ? {$retryable: {throttling: true}} : {}),
	});
}

function guardHosts(stack: RequestMiddlewareStack, allowedHosts: readonly string[] | undefined): void {
	if (!allowedHosts) return;
	stack.add(
		(next) => async (args) => {
			const hostname = (args.request as {hostname?: string}).hostname ?? '';
			if (!allowedHosts.includes(hostname))
				throw new Error(
					`refusing to send an AWS request to ${hostname}: only ${allowedHosts.join(', ')} allowed (PANKA_ALLOWED_AWS_HOSTS)`,
				);
			return next(args);
		},
		{step: 'finalizeRequest', name: 'pankaAllowedHosts'},
	);
}
