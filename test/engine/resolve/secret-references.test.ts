/**
 * Secret references outside the tenant's namespace are diagnostics at the reference, found by the
 * resolver alone (no AWS call): tenant notifications-team's demo pointing at tenant acme's secrets.
 */
import {describe, expect, it} from 'vitest';
import {byAddress, demoCopy, edit, errorsOf, loadDemo} from '../plan/plan-fixture.js';
import {planChanges} from '../../../engine/plan/plan.js';

const acmeSecretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:panka/acme/production/api/db-password-AbCdEf';

describe('secret references', () => {
	it('in the tenant’s namespace (the demo’s relative names) pass, and plans name the secret panka generates there', async () => {
		const workspace = await loadDemo();
		expect(errorsOf(workspace)).toEqual([]);
		expect(byAddress(planChanges(workspace, undefined), 'api/api-db').notes).toContain(
			'will generate secret panka/notifications-team/production/api/db-password if missing (a random password, never shown)',
		);
	});

	it('to another tenant’s secrets are errors at the reference’s file:line:col, by name (secretRef) and by ARN (passwordSecret.ref)', async () => {
		const dir = demoCopy();
		edit(
			dir,
			'services/api/ecs.yaml',
			'secretRef: "${ENVIRONMENT}/api/db-password"',
			'secretRef: "panka/acme/${ENVIRONMENT}/api/db-password"',
		);
		edit(dir, 'services/api/resources.yaml', 'ref: "${ENVIRONMENT}/api/db-password"', `ref: "${acmeSecretArn}"`);
		const errors = errorsOf(await loadDemo(dir));
		// Sorted by file, as every diagnostic list is.
		expect(errors).toEqual([
			{
				severity: 'error',
				code: 'secret-outside-namespace',
				message:
					"spec.secrets[0].secretRef: secret panka/acme/production/api/db-password is in tenant acme's namespace, not tenant notifications-team's (panka/notifications-team/)",
				file: 'services/api/ecs.yaml',
				line: 61,
				column: 18,
				hint: expect.any(String),
			},
			{
				severity: 'error',
				code: 'secret-outside-namespace',
				message:
					"spec.database.passwordSecret.ref: arn:aws:secretsmanager:us-east-1:123456789012:secret:panka/acme/production/api/db-password-AbCdEf names a secret outside tenant notifications-team's namespace panka/notifications-team/",
				file: 'services/api/resources.yaml',
				line: 28,
				column: 12,
				hint: expect.stringContaining('a stack of tenant notifications-team references secrets named panka/notifications-team/…'),
			},
		]);
	});

	it('in another AWS account than the tenant’s are errors too', async () => {
		const dir = demoCopy();
		const elsewhere = 'arn:aws:secretsmanager:us-east-1:999999999999:secret:panka/notifications-team/db-AbCdEf';
		edit(dir, 'services/api/ecs.yaml', 'secretRef: "${ENVIRONMENT}/api/db-password"', `secretRef: "${elsewhere}"`);
		expect(errorsOf(await loadDemo(dir))).toMatchObject([
			{
				code: 'secret-outside-namespace',
				message: `spec.secrets[0].secretRef: ${elsewhere} is in AWS account 999999999999, not tenant notifications-team's account 123456789012`,
				file: 'services/api/ecs.yaml',
				line: 61,
			},
		]);
	});
});
