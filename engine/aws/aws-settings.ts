/**
 * How panka's AWS clients are set up (endpoint, region, credentials, allowed hosts, proxy agent),
 * and the part of a client's middleware stack panka adds to: the types aws-clients.ts and
 * assumed-role.ts share.
 */
import type {Agent} from 'node:http';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@aws-sdk/types';

export interface AwsSettings {
	region?: string;
	/** Overrides AWS_ENDPOINT_URL for every client (tests pass moto's URL). */
	endpoint?: string;
	credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
	/** When set, requests to any other hostname are refused before they are sent. */
	allowedHosts?: readonly string[];
	/** Path-style S3 addressing: needed for endpoints on an IP address (moto, LocalStack). */
	forcePathStyle?: boolean;
	/** SDK retry attempts (default 3; 1 in tests so unimplemented calls fail fast). */
	maxAttempts?: number;
	/** Observe every command sent (benchmarks count and replay them). */
	onSend?: (client: object, command: object) => void;
	/** The agent every request goes through (http and https alike): the proxy agent when a proxy is configured. */
	agent?: Agent;
}

/** The part of an SDK client's middleware stack panka adds to. */
export interface RequestMiddlewareStack {
	add(
		middleware: (
			next: (args: {request: unknown}) => Promise<unknown>,
			context: {clientName?: string; commandName?: string},
		) => (args: {request: unknown}) => Promise<unknown>,
		options: {step: 'finalizeRequest'; name: string; priority?: 'high' | 'normal' | 'low'},
	): void;
}
