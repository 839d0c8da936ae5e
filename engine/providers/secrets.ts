/**
 * Secrets Manager secrets referenced by name (MicroService `secretRef`, RDS `passwordSecret.ref`),
 * always inside the tenant's namespace (secret-namespace.ts).
 *
 * Invariants:
 * - Only ARNs and names leave this module; a secret's value is read (or generated) only where AWS
 *   needs it (the RDS master password) and is never returned in outputs, errors or progress text.
 * - A reference is scoped to the tenant of `context.tags` (`panka:tenant`) before any call: one
 *   outside the namespace is refused. A secret found in the namespace whose `panka:tenant` tag
 *   names another tenant is refused. The bare-named secret panka 0.1 meant by a relative reference
 *   is used only when the namespaced one does not exist and it is tagged `panka:tenant` = this
 *   tenant; any other is as good as absent (never read, never granted), so another tenant's old
 *   secret of the same name neither leaks nor blocks. Secrets panka generates are created in the
 *   namespace, tagged with the component's tags.
 * - A secret that exists without a value (created with no SecretString, or holding only a binary)
 *   is an error naming it and the command that sets it: panka never tries to create it again, and
 *   a container is never started with a secret it cannot read.
 * - Generated passwords come from the CSPRNG: 32 characters from a set RDS accepts (no / @ " or
 *   space), so panka never asks anyone to invent one.
 */
import {randomInt} from 'node:crypto';
import {CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {ProviderError, type ResourceContext} from './provider.js';
import {fromTagList, requireOwned} from './resource-tags.js';
import {type SecretReferenceTarget, scopeSecretRef, tenantTagKey} from './secret-namespace.js';

const missingSecret = ['ResourceNotFoundException'];
const passwordAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%^&*()-_=+[]{}<>?';

function secrets(context: Pick<ResourceContext, 'clients'>): SecretsManagerClient {
	return context.clients.get(SecretsManagerClient);
}

type SecretContext = Pick<ResourceContext, 'clients' | 'signal' | 'tags' | 'accountId'>;

/** A secret a reference resolved to, in the tenant's namespace (or its 0.1 name, tagged for the tenant). */
export interface LocatedSecret {
	arn: string;
	name: string;
	/** Whether it has a current version (a secret created without a value has none). */
	hasValue: boolean;
}

/** The tenant's scope of a reference: its namespaced secret ID, or a refusal naming why it is outside. */
function scoped(context: SecretContext, ref: string, usedBy: string, accepts: SecretReferenceTarget = 'secret') {
	const tenant = context.tags[tenantTagKey];
	if (!tenant)
		throw new ProviderError(`${usedBy}: no tenant in the resource's tags, so secret ${ref} cannot be scoped`, 'SecretOutsideNamespace');
	const scope = scopeSecretRef(ref, {tenant, accountId: context.accountId}, accepts);
	if (!scope.ok) throw new ProviderError(`${usedBy}: ${scope.problem}`, 'SecretOutsideNamespace');
	return {tenant, scope};
}

async function describe(context: SecretContext, secretId: string) {
	const found = await awsCallUnlessMissing(context, `SecretsManager DescribeSecret ${secretId}`, missingSecret, (options) =>
		secrets(context).send(new DescribeSecretCommand({SecretId: secretId}), options),
	);
	if (!found?.ARN) return undefined;
	const hasValue = Object.values(found.VersionIdsToStages ?? {}).some((stages) => stages.includes('AWSCURRENT'));
	return {arn: found.ARN, name: found.Name ?? secretId, tags: fromTagList(found.Tags), hasValue};
}

/**
 * The secret `ref` names for this tenant, or undefined when there is none (see the module header):
 * the namespaced one, else (a relative reference of a stack deployed by 0.1) the bare-named one
 * when it is tagged for this tenant. Refuses a reference outside the namespace and another
 * tenant's secret.
 */
export async function locateSecret(context: SecretContext, ref: string, usedBy: string): Promise<LocatedSecret | undefined> {
	const {tenant, scope} = scoped(context, ref, usedBy);
	if (scope.service !== 'secretsmanager') return undefined;
	const found = await describe(context, scope.secretId);
	if (found) {
		if (found.tags[tenantTagKey] !== undefined) requireOwned(found.tags, {[tenantTagKey]: tenant}, 'read', `secret ${found.name}`);
		return {arn: found.arn, name: found.name, hasValue: found.hasValue};
	}
	if (!scope.legacyName) return undefined;
	const legacy = await describe(context, scope.legacyName);
	return legacy && legacy.tags[tenantTagKey] === tenant ? {arn: legacy.arn, name: legacy.name, hasValue: legacy.hasValue} : undefined;
}

/** Why a bare-named secret of that name was not used, for the "does not exist" error. */
async function legacyNote(context: SecretContext, tenant: string, legacyName: string | undefined): Promise<string> {
	const legacy = legacyName ? await describe(context, legacyName) : undefined;
	if (!legacy) return '';
	return ` (a secret named ${legacyName} exists outside the namespace, but it is not tagged ${tenantTagKey}=${tenant}: a stack reads only its own tenant's secrets)`;
}

/** The error for a secret that exists but holds no (string) value: it names the secret and how to set it. */
function valuelessSecretError(name: string, usedBy: string, what: string): ProviderError {
	return new ProviderError(
		`${usedBy}: secret ${name} exists in Secrets Manager but has no ${what}; set it with: aws secretsmanager put-secret-value --secret-id ${name} --secret-string '…'`,
		'SecretWithoutValue',
	);
}

/** The secret's ARN, or undefined when the tenant has no secret of that name. */
export async function secretArn(context: SecretContext, ref: string): Promise<string | undefined> {
	return (await locateSecret(context, ref, `secret ${ref}`))?.arn;
}

/** The ARN of each named secret; a missing one is an error naming it (a task must not start without it). */
export async function requireSecretArns(context: SecretContext, refs: readonly string[], usedBy: string): Promise<Record<string, string>> {
	const arns: Record<string, string> = {};
	for (const ref of refs) {
		const found = await locateSecret(context, ref, usedBy);
		if (!found) {
			const {tenant, scope} = scoped(context, ref, usedBy);
			const name = scope.service === 'secretsmanager' ? scope.secretId : ref;
			const note = scope.service === 'secretsmanager' ? await legacyNote(context, tenant, scope.legacyName) : '';
			throw new ProviderError(
				`${usedBy}: secret ${name} does not exist in Secrets Manager${note}; create it first (aws secretsmanager create-secret --name ${name} …)`,
				'SecretNotFound',
			);
		}
		if (!found.hasValue) throw valuelessSecretError(found.name, usedBy, 'value');
		arns[ref] = found.arn;
	}
	return arns;
}

export function generatePassword(length = 32): string {
	let password = '';
	for (let i = 0; i < length; i++) password += passwordAlphabet[randomInt(passwordAlphabet.length)];
	return password;
}

/**
 * The secret's value, creating the secret (in the tenant's namespace) with a generated password
 * when the tenant has none of that name. Returns whether it was created (for the plan's "will
 * generate secret" note and the outputs).
 */
export async function readOrCreatePasswordSecret(
	context: SecretContext & Pick<ResourceContext, 'progress'>,
	ref: string,
): Promise<{password: string; arn: string; created: boolean}> {
	const usedBy = `database.passwordSecret.ref ${ref}`;
	const existing = await locateSecret(context, ref, usedBy);
	if (existing) {
		if (!existing.hasValue) throw valuelessSecretError(existing.name, usedBy, 'value (it was created without one)');
		const value = await awsCall(context, `SecretsManager GetSecretValue ${existing.name}`, (options) =>
			secrets(context).send(new GetSecretValueCommand({SecretId: existing.arn}), options),
		);
		if (value.SecretString === undefined) throw valuelessSecretError(existing.name, usedBy, 'string value (it holds a binary)');
		return {password: value.SecretString, arn: existing.arn, created: false};
	}
	const {scope} = scoped(context, ref, usedBy);
	if (scope.service !== 'secretsmanager' || !scope.name)
		throw new ProviderError(`${usedBy}: secret ${ref} does not exist, and panka generates secrets only by name`, 'SecretNotFound');
	context.progress(`generating secret ${scope.name}`);
	const password = generatePassword();
	const created = await awsCall(context, `SecretsManager CreateSecret ${scope.name}`, (options) =>
		secrets(context).send(
			new CreateSecretCommand({
				Name: scope.name,
				SecretString: password,
				Description: 'Generated by panka',
				Tags: Object.entries(context.tags).map(([Key, Value]) => ({Key, Value})),
			}),
			options,
		),
	);
	if (!created.ARN) throw new Error(`SecretsManager CreateSecret ${scope.name} returned no ARN`);
	return {password, arn: created.ARN, created: true};
}
