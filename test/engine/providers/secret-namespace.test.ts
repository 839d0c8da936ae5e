/**
 * A tenant's secret namespace, decided without AWS: what each form of reference names for tenant
 * acme (account 123456789012), and every way of pointing outside it.
 */
import {describe, expect, it} from 'vitest';
import {scopeSecretRef} from '../../../engine/providers/secret-namespace.js';

const acme = {tenant: 'acme', accountId: '123456789012'};
const secretArn = (account: string, name: string, rest = '') => `arn:aws:secretsmanager:us-east-1:${account}:secret:${name}-AbCdEf${rest}`;

describe('the secret namespace', () => {
	it('puts a relative name under panka/{tenant}/, remembering the bare name a 0.1 stack meant', () => {
		expect(scopeSecretRef('prod/api/db-password', acme)).toEqual({
			ok: true,
			service: 'secretsmanager',
			secretId: 'panka/acme/prod/api/db-password',
			name: 'panka/acme/prod/api/db-password',
			legacyName: 'prod/api/db-password',
		});
	});

	it('takes a full name in the tenant’s own namespace as it is', () => {
		expect(scopeSecretRef('panka/acme/prod/db', acme)).toEqual({
			ok: true,
			service: 'secretsmanager',
			secretId: 'panka/acme/prod/db',
			name: 'panka/acme/prod/db',
		});
	});

	it('takes ARNs of the tenant’s own secrets and parameters, a JSON key kept out of the secret’s ID', () => {
		expect(scopeSecretRef(secretArn('123456789012', 'panka/acme/prod/db', ':password::'), acme)).toEqual({
			ok: true,
			service: 'secretsmanager',
			secretId: secretArn('123456789012', 'panka/acme/prod/db'),
		});
		const parameter = 'arn:aws:ssm:us-east-1:123456789012:parameter/panka/acme/prod/token';
		expect(scopeSecretRef(parameter, acme)).toEqual({ok: true, service: 'ssm', parameterArn: parameter});
		expect(scopeSecretRef(parameter.replace('parameter/', 'parameter//'), acme)).toMatchObject({ok: true});
	});

	it('refuses another tenant’s namespace, whatever the form, naming whose it is', () => {
		expect(scopeSecretRef('panka/acme-shop/prod/db', acme)).toEqual({
			ok: false,
			problem: "secret panka/acme-shop/prod/db is in tenant acme-shop's namespace, not tenant acme's (panka/acme/)",
			hint: expect.stringContaining('a stack of tenant acme references secrets named panka/acme/…'),
		});
		// A tenant whose name starts like another's gets no way in: the namespace ends with a slash.
		expect(scopeSecretRef('panka/acmeshop/x', acme)).toMatchObject({ok: false});
		expect(scopeSecretRef(secretArn('123456789012', 'panka/acme-shop/prod/db'), acme)).toMatchObject({
			ok: false,
			problem: expect.stringContaining("outside tenant acme's namespace panka/acme/"),
		});
		expect(scopeSecretRef('arn:aws:ssm:us-east-1:123456789012:parameter/panka/acme-shop/token', acme)).toMatchObject({ok: false});
	});

	it('refuses secrets outside panka’s namespaces and other accounts', () => {
		expect(scopeSecretRef(secretArn('123456789012', 'prod/api/db-password'), acme)).toMatchObject({ok: false});
		expect(scopeSecretRef(secretArn('999999999999', 'panka/acme/prod/db'), acme)).toMatchObject({
			ok: false,
			problem: expect.stringContaining("is in AWS account 999999999999, not tenant acme's account 123456789012"),
		});
		expect(scopeSecretRef('panka/', acme)).toMatchObject({ok: false});
	});

	it('refuses what is not a secret: other services, parameters where only a secret will do, names AWS rejects', () => {
		expect(scopeSecretRef('arn:aws:s3:::panka/acme/bucket', acme)).toMatchObject({ok: false});
		expect(scopeSecretRef('arn:aws:ssm:us-east-1:123456789012:parameter/panka/acme/token', acme, 'secret')).toMatchObject({
			ok: false,
			problem: expect.stringContaining('is not a Secrets Manager secret'),
		});
		expect(scopeSecretRef('prod db password', acme)).toMatchObject({ok: false});
		expect(scopeSecretRef('x'.repeat(510), acme)).toMatchObject({ok: false, problem: expect.stringContaining('longer than 512')});
	});

	it('checks no account when the tenant’s is not known (validate without a tenant config)', () => {
		expect(scopeSecretRef(secretArn('999999999999', 'panka/acme/prod/db'), {tenant: 'acme'})).toMatchObject({ok: true});
	});
});
