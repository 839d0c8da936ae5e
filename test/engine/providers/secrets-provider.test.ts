/**
 * Secrets scoped to their tenant, on moto, two tenants in one account: tenant acme-shop's
 * MicroService and RDS name secrets panka generated for tenant acme (the 0.1 attack: a bare
 * `secretRef` got acme's ARN into the task definition and its execution role, a
 * `passwordSecret.ref` made acme's password acme-shop's), and get only their own; acme's stacks
 * deployed by 0.1 keep reading their bare-named secrets; every secret granted is the tenant's.
 */
import {CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {beforeAll, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {MicroServiceSpec} from '../../../engine/kinds/microservice.js';
import {executionRolePolicies, resolveSecrets} from '../../../engine/kinds/microservice/task-definition.js';
import {readOrCreatePasswordSecret} from '../../../engine/providers/secrets.js';
import type {NameIdentity} from '../../../engine/resolve/physical-names.js';
import {resourceTags} from '../../../engine/resolve/tags.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {parsedSpec, resourceContext} from '../../helpers/resource-context.js';

const acme: NameIdentity = {tenant: 'acme', stack: 'shop', env: 'prod', component: 'orders-db', accountId: '123456789012'};
const acmeShop: NameIdentity = {tenant: 'acme-shop', stack: 'web', env: 'prod', component: 'api', accountId: '123456789012'};
const acmePassword = 'acme-password-that-must-stay-acme-s';

describeAws('secrets are scoped to their tenant', () => {
	const moto = useMoto();
	let clients: AwsClients;
	let acmeLegacyArn: string;
	let acmeNamespacedArn: string;

	const sm = () => clients.get(SecretsManagerClient);
	const secretValue = async (id: string) => (await sm().send(new GetSecretValueCommand({SecretId: id}))).SecretString;
	const exists = (id: string) =>
		sm()
			.send(new DescribeSecretCommand({SecretId: id}))
			.then(
				() => true,
				() => false,
			);
	const service = (identity: NameIdentity, secretRef: string) => {
		const spec = parsedSpec<MicroServiceSpec>('MicroService', {
			image: {repository: 'nginx'},
			secrets: [{name: 'DB_PASSWORD', secretRef}],
		});
		return {spec, context: resourceContext('MicroService', identity, spec, clients)};
	};
	const database = (identity: NameIdentity) => resourceContext('RDS', identity, {}, clients);

	beforeAll(async () => {
		clients = moto.clients();
		const {tenant, stack, env, component} = acme;
		const acmeTags = Object.entries(resourceTags({tenant, stack, env, service: 'data', component}, [])).map(([Key, Value]) => ({
			Key,
			Value,
		}));
		// What acme's RDS generated under panka 0.1: a bare name, with acme's panka tags.
		acmeLegacyArn = (await sm().send(new CreateSecretCommand({Name: 'prod/api/db-password', SecretString: acmePassword, Tags: acmeTags})))
			.ARN!;
		// What an admin of acme made in acme's namespace (no tags needed there).
		acmeNamespacedArn = (await sm().send(new CreateSecretCommand({Name: 'panka/acme/prod/stripe-key', SecretString: 'sk_acme'}))).ARN!;
	});

	it('gives another tenant’s MicroService nothing of acme’s: not the 0.1 secret of that bare name, not the namespaced one', async () => {
		const bare = service(acmeShop, 'prod/api/db-password');
		await expect(resolveSecrets(bare.context, bare.spec)).rejects.toMatchObject({
			code: 'SecretNotFound',
			message:
				"MicroService svc/api: secret panka/acme-shop/prod/api/db-password does not exist in Secrets Manager (a secret named prod/api/db-password exists outside the namespace, but it is not tagged panka:tenant=acme-shop: a stack reads only its own tenant's secrets); create it first (aws secretsmanager create-secret --name panka/acme-shop/prod/api/db-password …)",
		});
		// Written in full or as an ARN, acme's secrets are outside acme-shop's namespace (the resolver says so first).
		for (const ref of ['panka/acme/prod/stripe-key', acmeNamespacedArn, acmeLegacyArn]) {
			const named = service(acmeShop, ref);
			await expect(resolveSecrets(named.context, named.spec)).rejects.toMatchObject({code: 'SecretOutsideNamespace'});
		}
	});

	it('never makes acme’s password another tenant’s master password: acme-shop’s database gets a secret of its own', async () => {
		const generated = await readOrCreatePasswordSecret(database(acmeShop), 'prod/api/db-password');
		expect(generated.created).toBe(true);
		expect(generated.password).not.toBe(acmePassword);
		expect(generated.arn).not.toBe(acmeLegacyArn);
		expect(await secretValue('panka/acme-shop/prod/api/db-password')).toBe(generated.password);
		const tags = (await sm().send(new DescribeSecretCommand({SecretId: generated.arn}))).Tags;
		expect(tags).toContainEqual({Key: 'panka:tenant', Value: 'acme-shop'});
		expect(await secretValue(acmeLegacyArn)).toBe(acmePassword);
		await expect(readOrCreatePasswordSecret(database(acmeShop), acmeLegacyArn)).rejects.toMatchObject({code: 'SecretOutsideNamespace'});
	});

	it('refuses a secret in the tenant’s namespace whose panka:tenant tag names another tenant', async () => {
		await sm().send(
			new CreateSecretCommand({Name: 'panka/acme-shop/prod/planted', SecretString: 'x', Tags: [{Key: 'panka:tenant', Value: 'acme'}]}),
		);
		const planted = service(acmeShop, 'prod/planted');
		await expect(resolveSecrets(planted.context, planted.spec)).rejects.toMatchObject({
			code: 'OwnedElsewhere',
			message: expect.stringMatching(
				/^secret panka\/acme-shop\/prod\/planted belongs to component \(unknown component\) of stack \? \(tenant acme/,
			),
		});
	});

	it('lets acme’s stacks deployed by 0.1 keep their bare-named secret, and grants execution roles only the tenant’s own secrets', async () => {
		const legacy = service({...acme, component: 'api'}, 'prod/api/db-password');
		const namespaced = service({...acme, component: 'api'}, 'prod/stripe-key');
		const secrets = [
			...(await resolveSecrets(legacy.context, legacy.spec)),
			...(await resolveSecrets(namespaced.context, namespaced.spec)),
		];
		expect(secrets.map((secret) => secret.valueFrom)).toEqual([acmeLegacyArn, acmeNamespacedArn]);
		const grants = executionRolePolicies(legacy.spec, 'arn:aws:logs:us-east-1:123456789012:log-group:/panka/acme/shop/prod/api', secrets)[
			'read-secrets'
		];
		expect(grants).toEqual([
			{Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [acmeNamespacedArn, acmeLegacyArn].sort()},
		]);
		// The same password for acme's database: 0.1's secret is read, nothing new is generated.
		const reread = await readOrCreatePasswordSecret(database(acme), 'prod/api/db-password');
		expect(reread).toEqual({password: acmePassword, arn: acmeLegacyArn, created: false});
		expect(await exists('panka/acme/prod/api/db-password')).toBe(false);
	});
});
