/**
 * The views of the `panka admin` commands that change a backend or its tenants: admin init and
 * login, tenant init, update, delete, rotate, suspend and activate. Lines for a person, or one
 * document each (BackendInit, AdminLogin, TenantCreated, TenantUpdated, TenantDeleted,
 * TenantSecretRotated, TenantStatusChanged).
 *
 * Invariants: a secret appears where the human output shows it (stdout, once; or only the file
 * --output wrote it to), so TenantCreated and TenantSecretRotated carry `secret` or
 * `credentialsFile`, never both. Progress of the slow work (networking, a role) goes to `progress`:
 * stdout for a person, stderr under --json, so the document stays alone on stdout.
 */
import type {AccessCheck, BucketSetup} from '../../engine/admin.js';
import type {Diagnostic} from '../../engine/index.js';
import {plural} from '../../engine/index.js';
import {failureLine, jsonDocument} from '../render/json.js';
import type {Progress} from '../tenant-network.js';
import {sayAccess} from './access-view.js';
import type {Output, Views} from './view.js';

const done = (out: Output) => out.paint('✓', 'green', 'bold');
const warn = (out: Output, text: string) => out.note(`${out.errPaint('warning:', 'yellow', 'bold')} ${text}`);

// ---- admin init / login ----

export interface BackendSetup {
	backend: string;
	/** The local folder, for a local backend. */
	folder?: string;
	bucket?: BucketSetup;
	alreadyInitialised: boolean;
	admins: string[];
	identity: string;
	warnings: string[];
	/** The user config file that now names the backend. */
	configFile: string;
}

export interface AdminInitView {
	initialised(setup: BackendSetup): void;
}

export const adminInitViews: Views<AdminInitView> = {
	human: (out) => ({
		initialised(setup) {
			for (const warning of setup.warnings) warn(out, warning);
			const b = setup.bucket;
			if (b)
				out.line(
					`${done(out)} Bucket ${b.bucket} (${b.region}): ${b.created ? 'created' : 'exists'}; versioning ${b.versioning}, public access blocked, default encryption SSE-S3`,
				);
			else if (setup.folder !== undefined) out.line(`${done(out)} Folder ${setup.folder} (mode 700)`);
			if (setup.alreadyInitialised)
				out.line(`${done(out)} Backend already initialised: ${setup.backend} (admins: ${setup.admins.join(', ')})`);
			else {
				out.line(`${done(out)} Tenant registry created: tenants.yaml on ${setup.backend}`);
				out.line(`${done(out)} Admin: ${setup.identity}`);
			}
			out.line(`Backend saved in ${setup.configFile}: later panka commands use it.`);
			out.line(
				`Next: panka admin tenant init <name> --aws-account <12 digits> --region <region> --vpc-cidr 10.0.0.0/16 --output credentials.txt`,
			);
		},
	}),
	json: (out) => ({
		initialised: ({identity: _identity, bucket, ...setup}) =>
			out.line(
				jsonDocument('BackendInit', {
					...setup,
					...(bucket
						? {bucket: {bucket: bucket.bucket, region: bucket.region, created: bucket.created, versioning: bucket.versioning}}
						: {}),
				}),
			),
	}),
};

export interface AdminLoginView {
	admin(identity: string, backend: string, liveTenants: number): void;
}

export const adminLoginViews: Views<AdminLoginView> = {
	human: (out) => ({
		admin: (identity, backend, live) => out.line(`${done(out)} ${identity} is an admin of ${backend} (${plural(live, 'tenant')})`),
	}),
	json: (out) => ({admin: (identity, backend, tenants) => out.line(jsonDocument('AdminLogin', {identity, backend, tenants}))}),
};

// ---- tenant init / update: the config, the secret, the networking ----

/** Where a new secret went: shown (stdout, once) or written to --output FILE. */
export type SecretDelivery = {secret: string} | {credentialsFile: string};

/** The tenant's networking at the end of init or update. */
export type NetworkingOutcome =
	| {state: 'provisioned'; message: string}
	| {state: 'not-asked'}
	| {state: 'no-access'}
	| {state: 'failed'; message: string; role: string | undefined};

interface TenantConfigViewBase {
	progress: Progress;
	/** Problems in a --config file, at file:line:col (exit 1). */
	problems(diagnostics: readonly Diagnostic[]): void;
	/** The last word: the networking (exit 1 unless provisioned or not asked for). */
	networking(tenant: string, outcome: NetworkingOutcome): void;
}

export interface TenantInitView extends TenantConfigViewBase {
	/** `--create-role`: the role created in the tenant's account. */
	roleCreated(arn: string): void;
	/** The contract's summary lines (`✓ …`); `recordedOnly` marks the networking lines as recorded, not built (--no-network). */
	created(backend: string, tenant: string, summary: readonly string[], recordedOnly: boolean): void;
	secret(tenant: string, delivery: SecretDelivery): void;
	cost(texts: {networking: string; limit?: string | undefined}): void;
	access(check: AccessCheck): void;
	/** --no-network without --create-role: nothing was asked of AWS (the document has no `awsAccess`). */
	accessNotChecked(): void;
	/**
	 * A failure after the tenant was created and its secret delivered. True when the view has said it
	 * (JSON: the TenantCreated document, secret included, its networking failed with the reason, exit 1);
	 * false leaves it to the command's error report (the lines have shown the secret already).
	 */
	failedAfterCreation(tenant: string, error: Error): boolean;
}

export interface TenantUpdateView extends TenantConfigViewBase {
	/** `changed`: the config was rewritten (from `file`); else only the networking is reconciled. */
	updated(backend: string, tenant: string, change: {changed: true; file: string} | {changed: false}, summary: readonly string[]): void;
}

const humanProgress = (out: Output): Progress => ({paint: out.paint, line: (text) => out.line(text)});
const jsonProgress = (out: Output): Progress => ({paint: out.errPaint, line: (text) => out.note(text)});

function sayProblems(out: Output, diagnostics: readonly Diagnostic[]): void {
	const paint = out.errPaint;
	for (const d of diagnostics) {
		const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}  ` : '';
		out.note(`${paint(where, 'bold')}${paint('error', 'red', 'bold')}  ${d.message}  ${paint(`[${d.code}]`, 'gray')}`);
		if (d.hint) out.note(`    ${paint('hint:', 'cyan')} ${d.hint}`);
	}
}

const problemsLine = (diagnostics: readonly Diagnostic[]) =>
	failureLine(
		diagnostics.map((d) => `${d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : ''}${d.message}`).join('; '),
	);

/** The summary line with its mark painted (`○` for what is recorded only). */
const summaryLine = (out: Output, line: string, recordedOnly: boolean) =>
	recordedOnly ? line.replace(/^✓/, out.paint('○', 'yellow')) : line.replace(/^✓/, done(out));

const networkingHint = (tenant: string, role: string | undefined) =>
	`fix the cause (AWS credentials, the role ${role ?? 'in the tenant config'}, quotas) and run panka admin tenant update ${tenant}; what was created is found again by its tags`;

function sayNetworking(out: Output, tenant: string, outcome: NetworkingOutcome): void {
	if (outcome.state === 'provisioned') out.line(`${done(out)} ${outcome.message}`);
	else if (outcome.state === 'not-asked')
		out.line(
			`${out.paint('!', 'yellow')} Networking not provisioned (--no-network): recorded only; run panka admin tenant update ${tenant} --config … to provision it later`,
		);
	else if (outcome.state === 'no-access')
		out.note(`Networking not provisioned: fix the AWS access, then run panka admin tenant update ${tenant}`);
	else {
		out.note(`${out.errPaint('✗ networking:', 'red', 'bold')} ${outcome.message}`);
		out.note(`${out.errPaint('hint:', 'cyan')} ${networkingHint(tenant, outcome.role)}`);
	}
}

function networkingJson(tenant: string, outcome: NetworkingOutcome): Record<string, unknown> {
	if (outcome.state === 'provisioned') return {provisioned: true, message: outcome.message};
	if (outcome.state === 'not-asked')
		return {
			provisioned: false,
			message: 'not provisioned (--no-network): recorded only',
			hint: `run panka admin tenant update ${tenant} to provision it`,
		};
	if (outcome.state === 'no-access')
		return {
			provisioned: false,
			message: 'not provisioned: no AWS access',
			hint: `fix the AWS access, then run panka admin tenant update ${tenant}`,
		};
	return {provisioned: false, message: outcome.message, hint: networkingHint(tenant, outcome.role)};
}

function saySecret(out: Output, tenant: string, delivery: SecretDelivery): void {
	if ('credentialsFile' in delivery) {
		out.line(`Credentials saved to: ${delivery.credentialsFile}`);
		return;
	}
	out.line(`Tenant ID: ${tenant}`);
	out.line(`Secret: ${delivery.secret}`);
	out.note('The secret is shown only this once: panka stores only its hash. Give it to the tenant team over a safe channel.');
}

export const tenantInitViews: Views<TenantInitView> = {
	human: (out) => ({
		progress: humanProgress(out),
		problems: (diagnostics) => sayProblems(out, diagnostics),
		roleCreated: (arn) => out.line(`${done(out)} Role created: ${arn}`),
		created(_backend, _tenant, summary, recordedOnly) {
			summary.forEach((line, i) => {
				out.line(summaryLine(out, line, recordedOnly && i > 0));
			});
			out.line();
		},
		secret: (tenant, delivery) => saySecret(out, tenant, delivery),
		cost(texts) {
			out.line(`Networking cost: ${texts.networking}`);
			if (texts.limit) out.line(`Cost limit: ${texts.limit}`);
		},
		access: (check) => sayAccess(out, check),
		accessNotChecked: () => out.line(`${out.paint('○', 'yellow')} AWS access not checked (--no-network)`),
		networking(tenant, outcome) {
			sayNetworking(out, tenant, outcome);
		},
		failedAfterCreation: () => false,
	}),
	json: (out) => {
		const document: Record<string, unknown> = {};
		return {
			progress: jsonProgress(out),
			problems: (diagnostics) => out.line(problemsLine(diagnostics)),
			roleCreated: (role) => Object.assign(document, {role}),
			created: (backend, tenant, summary) => Object.assign(document, {backend, tenant, summary}),
			secret: (_tenant, delivery) => Object.assign(document, delivery),
			cost: ({networking, limit}) => Object.assign(document, {cost: {networking, ...(limit ? {limit} : {})}}),
			access: (awsAccess) => Object.assign(document, {awsAccess}),
			accessNotChecked: () => {},
			networking: (tenant, outcome) => out.line(jsonDocument('TenantCreated', {...document, networking: networkingJson(tenant, outcome)})),
			failedAfterCreation(tenant, error) {
				// The secret is in `document` and nowhere else: the one document must still be printed.
				const outcome: NetworkingOutcome = {state: 'failed', message: `stopped before the networking: ${error.message}`, role: undefined};
				out.line(jsonDocument('TenantCreated', {...document, networking: networkingJson(tenant, outcome)}));
				return true;
			},
		};
	},
};

export const tenantUpdateViews: Views<TenantUpdateView> = {
	human: (out) => ({
		progress: humanProgress(out),
		problems: (diagnostics) => sayProblems(out, diagnostics),
		updated(_backend, tenant, change, summary) {
			out.line(
				change.changed
					? `${done(out)} Tenant updated: ${tenant} (${change.file})`
					: `Tenant ${tenant}: configuration unchanged; reconciling its networking`,
			);
			for (const line of summary) out.line(summaryLine(out, line, false));
		},
		networking: (tenant, outcome) => sayNetworking(out, tenant, outcome),
	}),
	json: (out) => {
		const document: Record<string, unknown> = {};
		return {
			progress: jsonProgress(out),
			problems: (diagnostics) => out.line(problemsLine(diagnostics)),
			updated: (backend, tenant, {changed, ...file}, summary) =>
				Object.assign(document, {backend, tenant, changed, ...('file' in file ? {configFile: file.file} : {}), summary}),
			networking: (tenant, outcome) => out.line(jsonDocument('TenantUpdated', {...document, networking: networkingJson(tenant, outcome)})),
		};
	},
};

// ---- tenant delete / rotate / suspend / activate ----

export interface TenantDeletion {
	backend: string;
	tenant: string;
	archivedAs: string;
	moved: number;
	/** An earlier delete was finished, not a new one started. */
	resumed: boolean;
	/** The stacks still deployed (--force), as `describeStackInUse` says them. */
	inUse: string[];
}

export interface TenantDeleteView {
	progress: Progress;
	/** The confirmation was answered no (exit 1). */
	cancelled(): void;
	/** The networking is kept: deployed stacks use it (--force). */
	networkKept(): void;
	networkRemoved(message: string): void;
	deleted(deletion: TenantDeletion): void;
}

const networkKeptText = 'stacks still have resources (--force): the networking is kept, since their resources use it';

export const tenantDeleteViews: Views<TenantDeleteView> = {
	human: (out) => ({
		progress: humanProgress(out),
		cancelled: () => out.note('Not deleted.'),
		networkKept: () => warn(out, networkKeptText),
		networkRemoved: (message) => out.line(`${done(out)} ${message}`),
		deleted(d) {
			if (d.inUse.length > 0) warn(out, `archived with deployed stacks (--force): ${d.inUse.join('; ')}; their AWS resources still exist`);
			out.line(
				`${done(out)} Tenant ${d.resumed ? 'deletion finished' : 'deleted'}: ${d.tenant} (archived as ${d.archivedAs} on ${d.backend}, ${plural(d.moved, 'object')} moved)`,
			);
			out.line(`The name stays reserved; to give it to a new tenant: panka admin tenant init ${d.tenant} --force …`);
		},
	}),
	json: (out) => {
		const warnings: string[] = [];
		let networking: string | undefined;
		return {
			progress: jsonProgress(out),
			cancelled: () => out.line(failureLine('Not deleted.')),
			networkKept: () => warnings.push(networkKeptText),
			networkRemoved: (message) => {
				networking = message;
			},
			deleted: (deletion) =>
				out.line(jsonDocument('TenantDeleted', {...deletion, ...(networking ? {networking} : {}), ...(warnings.length ? {warnings} : {})})),
		};
	},
};

export interface TenantRotateView {
	rotated(backend: string, tenant: string, secretVersion: number): void;
	secret(tenant: string, delivery: SecretDelivery): void;
}

export const tenantRotateViews: Views<TenantRotateView> = {
	human: (out) => ({
		rotated(_backend, tenant, version) {
			out.line(
				`${done(out)} Secret rotated: ${tenant} (secret version ${version}); the old secret and every session of ${tenant} stop working now`,
			);
			out.line();
		},
		secret: (tenant, delivery) => saySecret(out, tenant, delivery),
	}),
	json: (out) => {
		let rotated: Record<string, unknown> = {};
		return {
			rotated: (backend, tenant, secretVersion) => {
				rotated = {backend, tenant, secretVersion};
			},
			secret: (_tenant, delivery) => out.line(jsonDocument('TenantSecretRotated', {...rotated, ...delivery})),
		};
	},
};

export interface TenantStatusView {
	status(backend: string, tenant: string, status: 'active' | 'suspended', changed: boolean): void;
}

export const tenantStatusViews: Views<TenantStatusView> = {
	human: (out) => ({
		status(_backend, tenant, status, changed) {
			if (!changed) out.line(`Tenant ${tenant} is already ${status}.`);
			else if (status === 'suspended')
				out.line(
					`${done(out)} Tenant suspended: ${tenant}; its next command is refused (sessions stay, and work again after panka admin tenant activate ${tenant})`,
				);
			else out.line(`${done(out)} Tenant activated: ${tenant}`);
		},
	}),
	json: (out) => ({
		status: (backend, tenant, status, changed) => out.line(jsonDocument('TenantStatusChanged', {backend, tenant, status, changed})),
	}),
};
