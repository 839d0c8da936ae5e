/**
 * A tenant's secret namespace: the only secrets a stack of the tenant may reference (MicroService
 * `secrets[].secretRef`, RDS `database.passwordSecret.ref`), and where panka generates secrets.
 *
 *   prod/api/db-password                        the Secrets Manager secret panka/{tenant}/prod/api/db-password
 *   panka/{tenant}/prod/api/db-password         the same, written in full
 *   arn:…:secretsmanager:…:secret:panka/{tenant}/…   that secret (a JSON key may follow), in the tenant's account
 *   arn:…:ssm:…:parameter/panka/{tenant}/…           that SSM parameter, in the tenant's account
 *
 * Anything else is outside the namespace — `panka/{another tenant}/…`, an ARN whose name is not
 * under `panka/{tenant}/` or whose account is not the tenant's, an ARN of another service — and is
 * refused: by the resolver as a diagnostic at the reference (file:line:col), before any AWS call,
 * and again by the providers.
 *
 * Invariants:
 * - Pure (no AWS, no SDK: the resolver imports it). Injective across tenants: tenant names hold
 *   no `/`, so `panka/{a}/…` and `panka/{b}/…` never meet, and no reference of tenant b can be
 *   written that lands under `panka/{a}/`.
 * - A relative reference also names the bare secret it meant before panka 0.2 (`legacyName`):
 *   providers/secrets.ts reads it only when the namespaced secret does not exist and the bare one
 *   is tagged `panka:tenant` = this tenant, so stacks deployed by 0.1 keep their secrets.
 */
import {parseArn} from './arn.js';

export const secretNamespaceRoot = 'panka';
export const tenantTagKey = 'panka:tenant';

/** Characters Secrets Manager accepts in a name (and SSM in a parameter name, besides `/` at the start). */
const secretNameCharacters = /^[A-Za-z0-9/_+=.@-]+$/;
const maxSecretNameLength = 512;

/** `panka/{tenant}/`: every secret of the tenant's stacks is named below it. */
export function tenantSecretPrefix(tenant: string): string {
	return `${secretNamespaceRoot}/${tenant}/`;
}

export interface SecretScope {
	tenant: string;
	/** The tenant's AWS account, when known: ARNs must be in it. */
	accountId?: string;
}

/** Which kinds of reference a field takes. */
export type SecretReferenceTarget = 'secret' | 'secret-or-parameter';

export type ScopedSecret =
	| {
			ok: true;
			service: 'secretsmanager';
			/** What to look the secret up by: its full name, or its ARN (without a JSON key). */
			secretId: string;
			/** The full name, when the reference gives it (not for ARNs, whose name ends in AWS's suffix). */
			name?: string;
			/** The bare name a relative reference meant before panka 0.2 (see the module header). */
			legacyName?: string;
	  }
	| {ok: true; service: 'ssm'; parameterArn: string}
	| {ok: false; problem: string; hint: string};

/** Where `ref` points in the tenant's namespace, or why it is outside it. */
export function scopeSecretRef(ref: string, scope: SecretScope, accepts: SecretReferenceTarget = 'secret-or-parameter'): ScopedSecret {
	const prefix = tenantSecretPrefix(scope.tenant);
	const outside = (problem: string, hint: string): ScopedSecret => ({ok: false, problem, hint});
	const namespaceHint = `a stack of tenant ${scope.tenant} references secrets named ${prefix}…; write the name without the prefix (prod/api/db-password) and panka adds it, or ask the platform admin to put the secret there`;
	const arn = parseArn(ref);
	if (arn) {
		if (scope.accountId && arn.accountId !== scope.accountId)
			return outside(
				`${ref} is in AWS account ${arn.accountId || '(none)'}, not tenant ${scope.tenant}'s account ${scope.accountId}`,
				namespaceHint,
			);
		if (arn.service === 'secretsmanager' && arn.resource.startsWith('secret:')) {
			const nameWithSuffix = arn.resource.split(':')[1] ?? '';
			if (!nameWithSuffix.startsWith(prefix))
				return outside(`${ref} names a secret outside tenant ${scope.tenant}'s namespace ${prefix}`, namespaceHint);
			// secret:name-suffix[:jsonKey:stage:version]: the secret itself is the first two parts.
			const secretId = `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.accountId}:${arn.resource.split(':').slice(0, 2).join(':')}`;
			return {ok: true, service: 'secretsmanager', secretId};
		}
		if (arn.service === 'ssm' && arn.resource.startsWith('parameter/') && accepts === 'secret-or-parameter') {
			if (!arn.resource.slice('parameter/'.length).replace(/^\//, '').startsWith(prefix))
				return outside(`${ref} names an SSM parameter outside tenant ${scope.tenant}'s namespace ${prefix}`, namespaceHint);
			return {ok: true, service: 'ssm', parameterArn: ref};
		}
		return outside(
			`${ref} is not ${accepts === 'secret' ? 'a Secrets Manager secret' : 'a Secrets Manager secret or an SSM parameter'}`,
			`reference a secret by its name in ${prefix}…`,
		);
	}
	if (!secretNameCharacters.test(ref))
		return outside(
			`secret name ${JSON.stringify(ref)} holds characters Secrets Manager does not accept`,
			'use letters, digits and / _ + = . @ -',
		);
	const isFull = ref.startsWith(`${secretNamespaceRoot}/`);
	if (isFull && !ref.startsWith(prefix)) {
		const owner = ref.slice(secretNamespaceRoot.length + 1).split('/')[0];
		return outside(
			`secret ${ref} is in ${owner ? `tenant ${owner}'s namespace` : 'no tenant namespace'}, not tenant ${scope.tenant}'s (${prefix})`,
			namespaceHint,
		);
	}
	const name = isFull ? ref : `${prefix}${ref}`;
	if (name.length > maxSecretNameLength || name === prefix)
		return outside(
			`secret name ${name} is ${name === prefix ? 'empty' : `longer than ${maxSecretNameLength} characters`}`,
			'use a shorter name',
		);
	return {ok: true, service: 'secretsmanager', secretId: name, name, ...(isFull ? {} : {legacyName: ref})};
}
