/**
 * checkTenantAccess against an STS that refuses: the words a user gets when the role does not
 * trust them (after waiting out IAM's delay for a role just created), when the role lives in
 * another account, and when no role is recorded and the credentials are for another account.
 * (moto's STS lets anyone assume anything, so these paths are specified here with a fake STS.)
 */
import {AssumeRoleCommand, GetCallerIdentityCommand} from '@aws-sdk/client-sts';
import {describe, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {TenantConfig} from '../../../engine/model/tenant-config.js';
import {checkTenantAccess, tenantRolePlan, trustablePrincipal} from '../../../engine/tenants/tenant-access.js';

const caller = {Arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice', Account: '123456789012'};

function config(aws: Partial<TenantConfig['spec']['aws']> = {}): TenantConfig {
	return {metadata: {name: 'acme'}, spec: {aws: {accountId: '123456789012', region: 'us-east-1', ...aws}}} as TenantConfig;
}

/** Clients whose STS answers GetCallerIdentity with `caller` and AssumeRole with `assume()`. */
function fakeSts(assume: () => unknown): {clients: AwsClients; calls: string[]} {
	const calls: string[] = [];
	const send = async (command: object) => {
		calls.push(command.constructor.name);
		if (command instanceof GetCallerIdentityCommand) return caller;
		if (command instanceof AssumeRoleCommand) return assume();
		throw new Error('unexpected command');
	};
	return {clients: {sts: () => ({send})} as unknown as AwsClients, calls};
}

const denied = () => {
	throw Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {name: 'AccessDenied'});
};

describe('checkTenantAccess', () => {
	it('a role that does not trust the caller: refused, with the principal its trust policy must name', async () => {
		const {clients} = fakeSts(denied);
		expect(await checkTenantAccess(clients, config({assumeRoleArn: 'arn:aws:iam::123456789012:role/deploy'}), {sessionName: 's'})).toEqual({
			ok: false,
			message: `${caller.Arn} cannot assume arn:aws:iam::123456789012:role/deploy: User is not authorized to perform: sts:AssumeRole`,
			hint: 'the role must exist and its trust policy must name arn:aws:iam::123456789012:role/Admin; panka admin tenant init --create-role makes such a role',
		});
	});

	it('a role just created: AccessDenied is retried while IAM catches up', async () => {
		let attempts = 0;
		const {clients} = fakeSts(() =>
			++attempts < 3 ? denied() : {AssumedRoleUser: {Arn: 'arn:aws:sts::123456789012:assumed-role/deploy/s'}},
		);
		const waited: number[] = [];
		const result = await checkTenantAccess(clients, config({assumeRoleArn: 'arn:aws:iam::123456789012:role/deploy'}), {
			sessionName: 's',
			retryForMs: 30_000,
			sleep: async (ms) => void waited.push(ms),
		});
		expect(result).toEqual({ok: true, message: `${caller.Arn} can assume arn:aws:iam::123456789012:role/deploy (account 123456789012)`});
		expect(waited).toEqual([1_000, 2_000]);
	});

	it("a role in another account than the tenant's is named as such", async () => {
		const {clients} = fakeSts(() => ({AssumedRoleUser: {Arn: 'arn:aws:sts::999999999999:assumed-role/deploy/s'}}));
		const result = await checkTenantAccess(clients, config({assumeRoleArn: 'arn:aws:iam::999999999999:role/deploy'}), {sessionName: 's'});
		expect(result).toMatchObject({
			ok: false,
			message: "role arn:aws:iam::999999999999:role/deploy is in account 999999999999, not tenant acme's account 123456789012",
		});
	});

	it('credentials STS refuses: the SDK’s own words, and where to look', async () => {
		const expired = Object.assign(new Error('The security token included in the request is expired'), {name: 'ExpiredToken'});
		const clients = {sts: () => ({send: () => Promise.reject(expired)})} as unknown as AwsClients;
		expect(await checkTenantAccess(clients, config(), {sessionName: 's'})).toEqual({
			ok: false,
			message: 'could not tell which AWS identity you are (sts:GetCallerIdentity): The security token included in the request is expired',
			hint: 'check your AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO login)',
		});
	});

	it('no role: the caller must be in the tenant account (no AssumeRole is tried)', async () => {
		const {clients, calls} = fakeSts(denied);
		expect(await checkTenantAccess(clients, config(), {sessionName: 's'})).toEqual({
			ok: true,
			message: `no role recorded: panka acts as ${caller.Arn}, in tenant acme's account 123456789012`,
		});
		expect(await checkTenantAccess(clients, config({accountId: '222222222222'}), {sessionName: 's'})).toMatchObject({ok: false});
		expect(calls).toEqual(['GetCallerIdentityCommand', 'GetCallerIdentityCommand']);
	});
});

describe('the role --create-role makes', () => {
	it('trusts the admin (a role session becomes its role) and may do what panka does', () => {
		expect(trustablePrincipal('arn:aws:sts::123456789012:assumed-role/Admin/alice')).toBe('arn:aws:iam::123456789012:role/Admin');
		expect(trustablePrincipal('arn:aws:iam::123456789012:user/bob')).toBe('arn:aws:iam::123456789012:user/bob');
		const plan = tenantRolePlan(config(), caller.Arn);
		expect(plan).toMatchObject({
			roleName: 'panka-acme',
			roleArn: 'arn:aws:iam::123456789012:role/panka-acme',
			trusted: 'arn:aws:iam::123456789012:role/Admin',
		});
		expect(plan.permissions[0]?.Action).toEqual(
			expect.arrayContaining(['ec2:*', 'ecs:*', 'lambda:*', 'iam:PassRole', 'secretsmanager:*', 'cloudwatch:GetMetricData']),
		);
		const long = tenantRolePlan({...config(), metadata: {name: 'a'.repeat(63)}} as TenantConfig, caller.Arn);
		expect(long.roleName.length).toBeLessThanOrEqual(64);
	});
});
