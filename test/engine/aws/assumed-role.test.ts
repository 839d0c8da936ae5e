/**
 * Assumed-role credentials: one AssumeRole serves every client that starts at once, credentials
 * are fetched again only when close to expiry, a failed fetch is retried by the next caller, and
 * the STS call itself obeys the caller's settings (the endpoint from the environment; allowed hosts:
 * aws-clients.test.ts).
 */
import {GetCallerIdentityCommand} from '@aws-sdk/client-sts';
import {SQSClient, ListQueuesCommand} from '@aws-sdk/client-sqs';
import type {AwsCredentialIdentity} from '@aws-sdk/types';
import {describe, expect, it} from 'vitest';
import {refreshBeforeMs, sharedCredentials} from '../../../engine/aws/assumed-role.js';
import {AwsClients} from '../../../engine/aws/aws-clients.js';
import {describeAws, useMoto} from '../../helpers/moto.js';

const at = (ms: number): AwsCredentialIdentity => ({accessKeyId: `key-${ms}`, secretAccessKey: 's', expiration: new Date(ms)});

describe('sharedCredentials', () => {
	it('makes one fetch for callers that ask while it is in flight', async () => {
		let fetches = 0;
		const shared = sharedCredentials(
			async () => at(++fetches * 3_600_000),
			() => 0,
		);
		const all = await Promise.all(Array.from({length: 8}, () => shared()));
		expect(fetches).toBe(1);
		expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['key-3600000']));
	});

	it('fetches again only when less than the refresh margin is left', async () => {
		let clock = 0;
		let fetches = 0;
		const shared = sharedCredentials(
			async () => at(++fetches * 3_600_000),
			() => clock,
		);
		await shared();
		clock = 3_600_000 - refreshBeforeMs - 1;
		await shared();
		expect(fetches).toBe(1);
		clock = 3_600_000 - refreshBeforeMs + 1;
		expect((await shared()).accessKeyId).toBe('key-7200000');
		expect(fetches).toBe(2);
	});

	it('does not remember a failed fetch', async () => {
		let fetches = 0;
		const shared = sharedCredentials(
			async () => {
				if (++fetches === 1) throw new Error('AccessDenied');
				return at(3_600_000);
			},
			() => 0,
		);
		await expect(shared()).rejects.toThrow('AccessDenied');
		expect((await shared()).accessKeyId).toBe('key-3600000');
	});
});

describeAws('AwsClients.forTenant', () => {
	const moto = useMoto();
	const role = 'arn:aws:iam::111111111111:role/panka-tenant';

	it('acts in the role’s account with the endpoint taken from AWS_ENDPOINT_URL, as the CLI configures it', async () => {
		const saved = process.env.AWS_ENDPOINT_URL;
		process.env.AWS_ENDPOINT_URL = moto.endpoint;
		try {
			const clients = new AwsClients({
				region: 'us-east-1',
				credentials: {accessKeyId: 'test', secretAccessKey: 'test'},
				allowedHosts: ['127.0.0.1'],
				maxAttempts: 1,
			}).forTenant(role, 'panka-env-endpoint');
			const [identity] = await Promise.all([
				clients.sts().send(new GetCallerIdentityCommand({})),
				clients.get(SQSClient).send(new ListQueuesCommand({})),
			]);
			expect(identity.Account).toBe('111111111111');
		} finally {
			if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
			else process.env.AWS_ENDPOINT_URL = saved;
		}
	});
});
