/**
 * `panka login [--tenant T]` and `panka logout`.
 *
 * login: the tenant comes from --tenant, PANKA_TENANT, or a prompt; the secret from
 * PANKA_TENANT_SECRET or a hidden prompt. Prompts only fill what was not given, and only in a
 * terminal; without one a missing value fails fast naming the flag or variable. The secret is
 * checked against the registry (one generic message for any wrong credential), then a session is
 * recorded on the backend with a 12-hour expiry and the session file (its id and token) is written
 * 0600, and the backend is recorded in the user config so later commands use the same one. Then it
 * checks with STS that this machine's AWS identity can act in the tenant's account (assume its
 * role, or be in its account) and says so.
 *
 * logout: ends the session on the backend (so a copy of the file stops working too), then removes
 * the file. A backend that cannot be reached does not keep anyone logged in: the file is removed,
 * and the message says the record stays until it expires.
 */
import {nameProblem} from '../../engine/index.js';
import type {Backend} from '../../engine/backends.js';
import {backendText, localIdentity, openBackendSpec, openSelectedBackend, parseBackendText, writeUserConfig} from '../backend-selection.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {canPrompt, promptLine} from '../prompt.js';
import {readSessionFile, removeSession, SessionFileError, sessionPath, sessionTtlMs, writeSession} from '../session.js';
import {type LoginView, loginViews, logoutViews} from '../views/login-view.js';
import {chooseView} from '../views/view.js';

export async function loginCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 0) throw new UsageError(`panka login takes no arguments, got: ${args.join(' ')}`, 'pass the tenant with --tenant T');
	const interactive = canPrompt(context);
	let tenant = flags.tenant ?? context.env.PANKA_TENANT;
	if (tenant === undefined) {
		if (!interactive)
			throw new UsageError(
				'no tenant to log in as, and no terminal to ask in',
				'pass --tenant T (or set PANKA_TENANT), with the secret in PANKA_TENANT_SECRET',
			);
		tenant = await promptLine(context, 'Enter tenant ID: ');
	}
	const problem = nameProblem(tenant, 'tenant');
	if (problem) throw new UsageError(problem, 'the Tenant ID is the name your platform admin gave you, like notifications-team');
	let secret = context.env.PANKA_TENANT_SECRET?.trim();
	if (!secret) {
		if (!interactive)
			throw new UsageError(
				'no secret, and no terminal to ask for it',
				'set PANKA_TENANT_SECRET (panka never takes a secret as a command-line flag)',
			);
		secret = await promptLine(context, 'Enter secret: ', {hidden: true});
	}

	const {backend, choice} = await openSelectedBackend(context, flags);
	const [{authenticateTenant}, {openSession}] = await Promise.all([import('../../engine/backends.js'), import('../../engine/backends.js')]);
	const {entry} = await authenticateTenant(backend, tenant, secret);
	const session = await openSession(backend, entry.name, {
		secretVersion: entry.secretVersion,
		now: new Date(),
		ttlMs: sessionTtlMs,
		openedBy: localIdentity(context),
	});
	const {expiresAt} = session;
	const file = await writeSession(context, {
		version: 2,
		tenant: entry.name,
		backend: backendText(choice.spec),
		...(choice.spec.kind === 's3' && choice.spec.region ? {backendRegion: choice.spec.region} : {}),
		backendDescription: backend.description,
		sessionId: session.id,
		token: session.token,
		createdAt: session.createdAt,
		expiresAt,
	});
	await writeUserConfig(context, choice.spec);
	const view = chooseView(loginViews, flags, context);
	view.loggedIn({tenant: entry.name, backend: backend.description, sessionFile: file, expiresAt});
	await checkAwsAccess(context, view, backend, entry.name);
	return 0;
}

/**
 * After a login: can this machine's AWS identity act in the tenant's account (assume its role, or
 * be in its account when it records none)? Said either way; a failure does not undo the login.
 */
async function checkAwsAccess(context: CommandContext, view: LoginView, backend: Backend, tenant: string): Promise<void> {
	const [{readTenantConfig}, {tenantScopedBackend}, {AwsClients}, {awsSettingsFromEnv}, {tenantAccess}] = await Promise.all([
		import('../../engine/backends.js'),
		import('../../engine/backends.js'),
		import('../../engine/backends.js'),
		import('../aws-settings.js'),
		import('../tenant-access.js'),
	]);
	const {config} = await readTenantConfig(tenantScopedBackend(backend, tenant), tenant);
	const clients = new AwsClients({...(await awsSettingsFromEnv(context.env, config.spec.aws.region)), maxAttempts: 1});
	try {
		view.access(await tenantAccess(clients, config, `panka-${tenant}`));
	} finally {
		clients.destroy();
	}
}

export async function logoutCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 0) throw new UsageError(`panka logout takes no arguments, got: ${args.join(' ')}`);
	const file = sessionPath(context);
	const view = chooseView(logoutViews, flags, context);
	const ended = await endBackendSession(context);
	if (await removeSession(context)) view.loggedOut(file, ended);
	else view.notLoggedIn(file);
	return 0;
}

/** Ends the session file's session on its backend; what happened, for the logout line (nothing: no session). */
async function endBackendSession(context: CommandContext): Promise<string | undefined> {
	let session: Awaited<ReturnType<typeof readSessionFile>>;
	try {
		session = await readSessionFile(context);
	} catch (error) {
		// Unreadable or from an older panka: it names no session on a backend.
		if (error instanceof SessionFileError) return undefined;
		throw error;
	}
	if (!session) return undefined;
	try {
		const spec = await parseBackendText(context, session.backend, 'the session backend');
		const {backend} = await openBackendSpec(
			context,
			spec.kind === 's3' && session.backendRegion ? {...spec, region: session.backendRegion} : spec,
		);
		const {endSession} = await import('../../engine/backends.js');
		const removed = await endSession(backend, {tenant: session.tenant, id: session.sessionId, token: session.token}, new Date());
		return removed ? `ended the session on ${backend.description}` : undefined;
	} catch (error) {
		return `the session could not be ended on its backend (${(error as Error).message}); it stays valid there until ${session.expiresAt}`;
	}
}
