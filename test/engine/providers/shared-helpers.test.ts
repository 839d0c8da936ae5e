/** The shared provider pieces on moto: IAM roles (least privilege kept exact), log groups, secrets. */
import {GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand} from '@aws-sdk/client-iam';
import {CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {expect, it} from 'vitest';
import {deleteLogGroup, describeLogGroup, ensureLogGroup} from '../../../engine/providers/log-groups.js';
import {deleteRole, ensureRole, roleInlinePolicies} from '../../../engine/providers/iam-roles.js';
import {readOrCreatePasswordSecret, requireSecretArns} from '../../../engine/providers/secrets.js';
import {describeAws, useMoto} from '../../helpers/moto.js';

describeAws('shared provider helpers', () => {
	const moto = useMoto({managedPolicies: true});
	const context = () => ({
		clients: moto.clients(),
		signal: new AbortController().signal,
		tags: {'panka:tenant': 'acme', 'panka:component': 'fn'},
		progress: () => {},
		region: 'us-east-1',
		accountId: '123456789012',
	});

	it('creates a role with exactly the permissions asked, reconciles them, and deletes it', async () => {
		const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
		const arn = await ensureRole(context(), {
			name: 'acme-fn-role',
			service: 'lambda.amazonaws.com',
			managed: [basic],
			inline: {queue: [{Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: 'arn:aws:sqs:us-east-1:123456789012:q'}]},
		});
		expect(arn).toMatch(/:role\/acme-fn-role$/);
		const iam = moto.clients().get(IAMClient);
		expect(decodeURIComponent((await iam.send(new GetRoleCommand({RoleName: 'acme-fn-role'}))).Role!.AssumeRolePolicyDocument!)).toContain(
			'lambda.amazonaws.com',
		);
		expect(await roleInlinePolicies(context(), 'acme-fn-role')).toEqual({
			queue: {
				Version: '2012-10-17',
				Statement: [{Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: 'arn:aws:sqs:us-east-1:123456789012:q'}],
			},
		});
		// The queue permission is no longer needed: it goes; a new one comes.
		await ensureRole(context(), {
			name: 'acme-fn-role',
			service: 'lambda.amazonaws.com',
			managed: [],
			inline: {table: [{Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: '*'}]},
		});
		expect(Object.keys(await roleInlinePolicies(context(), 'acme-fn-role'))).toEqual(['table']);
		expect((await iam.send(new ListAttachedRolePoliciesCommand({RoleName: 'acme-fn-role'}))).AttachedPolicies).toEqual([]);
		await deleteRole(context(), 'acme-fn-role');
		await expect(iam.send(new GetRoleCommand({RoleName: 'acme-fn-role'}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
		await deleteRole(context(), 'acme-fn-role');
	});

	it('refuses to take over a role another component owns', async () => {
		await ensureRole(
			{...context(), tags: {'panka:tenant': 'acme', 'panka:component': 'other'}},
			{name: 'shared-name', service: 'lambda.amazonaws.com', managed: [], inline: {}},
		);
		await expect(ensureRole(context(), {name: 'shared-name', service: 'lambda.amazonaws.com', managed: [], inline: {}})).rejects.toThrow(
			/already exists and belongs to/,
		);
	});

	it('creates a log group with a retention period, reconciles it, deletes it', async () => {
		await ensureLogGroup(context(), '/panka/acme/shop/test/fn', 14);
		expect(await describeLogGroup(context(), '/panka/acme/shop/test/fn')).toMatchObject({retentionInDays: 14});
		await ensureLogGroup(context(), '/panka/acme/shop/test/fn', 30);
		expect(await describeLogGroup(context(), '/panka/acme/shop/test/fn')).toMatchObject({retentionInDays: 30});
		await deleteLogGroup(context(), '/panka/acme/shop/test/fn');
		expect(await describeLogGroup(context(), '/panka/acme/shop/test/fn')).toBeUndefined();
	});

	it('generates a password secret once, in the tenant’s namespace, and reads it afterwards; missing secrets are named', async () => {
		const first = await readOrCreatePasswordSecret(context(), 'prod/api/db-password');
		expect(first.created).toBe(true);
		expect(first.password).toMatch(/^[^/@" ]{32}$/);
		const again = await readOrCreatePasswordSecret(context(), 'prod/api/db-password');
		expect(again).toEqual({...first, created: false});
		expect(
			(
				await moto
					.clients()
					.get(SecretsManagerClient)
					.send(new GetSecretValueCommand({SecretId: 'panka/acme/prod/api/db-password'}))
			).SecretString,
		).toBe(first.password);
		expect(await requireSecretArns(context(), ['prod/api/db-password'], 'api-server')).toEqual({'prod/api/db-password': first.arn});
		await expect(requireSecretArns(context(), ['nope'], 'api-server')).rejects.toThrow(/secret panka\/acme\/nope does not exist/);
	});

	it('a secret that exists without a value is named with the command that sets it, never created again', async () => {
		const manager = moto.clients().get(SecretsManagerClient);
		await manager.send(new CreateSecretCommand({Name: 'panka/acme/prod/api/empty'}));
		await expect(readOrCreatePasswordSecret(context(), 'prod/api/empty')).rejects.toThrow(
			"database.passwordSecret.ref prod/api/empty: secret panka/acme/prod/api/empty exists in Secrets Manager but has no value (it was created without one); set it with: aws secretsmanager put-secret-value --secret-id panka/acme/prod/api/empty --secret-string '…'",
		);
		await expect(requireSecretArns(context(), ['prod/api/empty'], 'api-server')).rejects.toThrow(
			/^api-server: secret panka\/acme\/prod\/api\/empty exists in Secrets Manager but has no value; set it with: aws secretsmanager put-secret-value --secret-id panka\/acme\/prod\/api\/empty/,
		);
		await manager.send(new CreateSecretCommand({Name: 'panka/acme/prod/api/binary', SecretBinary: new Uint8Array([1, 2, 3])}));
		await expect(readOrCreatePasswordSecret(context(), 'prod/api/binary')).rejects.toThrow(/has no string value \(it holds a binary\)/);
	});
});
