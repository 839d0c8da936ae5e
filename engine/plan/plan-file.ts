/**
 * Plan files: a plan (and the selection made in review) saved for a later apply, like Terraform's
 * `plan -out`.
 *
 * A plan file records what the apply must find unchanged: the state it was planned against
 * (lineage and serial) and the desired configuration (desiredHash over the redacted inputs).
 * `checkPlanApplicable` compares them and refuses with a reason; the apply never runs a stale plan.
 *
 * Invariants:
 * - JSON, versioned (`kind: PankaPlan`, `formatVersion`); a reader refuses a file that is not
 *   JSON, not a plan, of another format version, or not the shape it expects, with the file's
 *   path in the message. It never guesses.
 * - Holds no secret: plans are redacted by construction (inputs.ts). But the values it shows are
 *   the stack's configuration after interpolation, `--var` values included, in clear: it is written
 *   0600 like the state, and sharing it is a deliberate act. The `--var` values it was planned with
 *   are recorded too (`vars`), so `panka apply plan.json` loads the folder exactly as planned with
 *   no flag repeated; the desiredHash check still catches a folder that changed since.
 * - Written atomically (writePrivateFile: temp file + fsync + rename), so a reader sees the old file
 *   or the new one.
 * - Read with the bounds of any user file (read-text-file.ts): a FIFO or a device named as the plan
 *   is refused, and nothing above `maxDataFileBytes` is read.
 * - A saved selection is restored by re-deriving it from its requested skips; a saved selection
 *   that does not re-derive to the same approved set is refused as inconsistent.
 */
import {z} from '../zod.js';
import {broadeningClasses} from '../kinds/broadening.js';
import {maxDataFileBytes} from '../load/input-limits.js';
import {readTextFile} from '../load/read-text-file.js';
import {writePrivateFile} from '../state/private-file.js';
import type {StateDocument} from '../state/state-document.js';
import {type Plan, planFormatVersion} from './plan.js';
import {restoreSelection, type Selection} from './selection.js';

export const planFileKind = 'PankaPlan';
export const planFileFormatVersion = 1;

export interface SavedSelection {
	approved: string[];
	skipped: Array<{address: string; reason: string}>;
	requestedSkips: Array<{address: string; reason: string}>;
	partial: boolean;
}

export interface PlanFile {
	kind: typeof planFileKind;
	formatVersion: typeof planFileFormatVersion;
	createdAt: string;
	/** Absolute path of the stack folder the plan was made from. */
	stackFolder: string;
	stack: string;
	tenant: string;
	environment: string;
	stateLineage: string | null;
	stateSerial: number;
	desiredHash: string;
	/** The `--var` values the plan was made with (absent: none). */
	vars?: Record<string, string>;
	plan: Plan;
	selection?: SavedSelection;
}

export class PlanFileError extends Error {
	constructor(
		readonly file: string,
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'PlanFileError';
	}
}

export function makePlanFile(plan: Plan, options: {stackFolder: string; selection?: Selection; vars?: Record<string, string>}): PlanFile {
	return {
		kind: planFileKind,
		formatVersion: planFileFormatVersion,
		createdAt: plan.createdAt,
		stackFolder: options.stackFolder,
		stack: plan.stack,
		tenant: plan.tenant,
		environment: plan.environment,
		stateLineage: plan.stateLineage,
		stateSerial: plan.stateSerial,
		desiredHash: plan.desiredHash,
		...(options.vars && Object.keys(options.vars).length > 0 ? {vars: options.vars} : {}),
		plan,
		...(options.selection ? {selection: saveSelection(options.selection)} : {}),
	};
}

function saveSelection(selection: Selection): SavedSelection {
	return {
		approved: [...selection.approved],
		skipped: [...selection.skipped].map(([address, reason]) => ({address, reason})),
		requestedSkips: [...selection.requestedSkips].map(([address, reason]) => ({address, reason})),
		partial: selection.partial,
	};
}

/** The selection saved in a plan file, re-derived against its plan; undefined when none was saved. */
export function savedSelection(file: PlanFile, filePath = '(plan file)'): Selection | undefined {
	if (!file.selection) return undefined;
	let selection: Selection;
	try {
		selection = restoreSelection(file.plan, new Map(file.selection.requestedSkips.map((s) => [s.address, s.reason])));
	} catch (error) {
		throw new PlanFileError(filePath, `plan file ${filePath}: its selection names ${(error as Error).message}`, 'plan again');
	}
	const saved = new Set(file.selection.approved);
	if (saved.size !== selection.approved.size || [...saved].some((address) => !selection.approved.has(address)))
		throw new PlanFileError(filePath, `plan file ${filePath}: its selection does not match its plan (the file was edited?)`, 'plan again');
	return selection;
}

export function serializePlanFile(file: PlanFile): string {
	return `${JSON.stringify(file, null, 2)}\n`;
}

const fieldChangeSchema = z.object({
	path: z.string(),
	action: z.enum(['add', 'remove', 'change']),
	before: z.unknown().optional(),
	after: z.unknown().optional(),
	forcesReplace: z.boolean().optional(),
	sensitive: z.boolean().optional(),
	knownAfterApply: z.object({address: z.string(), action: z.enum(['create', 'replace'])}).optional(),
	environment: z.string().optional(),
});

const changeSchema = z.object({
	address: z.string(),
	service: z.string(),
	name: z.string(),
	action: z.enum(['create', 'update', 'replace', 'delete', 'no-op']),
	kind: z.string(),
	previousKind: z.string().optional(),
	type: z.string(),
	physicalName: z.string(),
	previousPhysicalName: z.string().optional(),
	summary: z.string().optional(),
	reasons: z.array(z.string()),
	replaceStrategy: z.enum(['create-before-delete', 'delete-before-create']).optional(),
	diff: z.array(fieldChangeSchema),
	broadening: z.array(z.object({class: z.enum(broadeningClasses), what: z.string()})).optional(),
	before: z.record(z.string(), z.unknown()).optional(),
	after: z.record(z.string(), z.unknown()).optional(),
	dependsOn: z.array(z.string()),
	requires: z.array(z.object({address: z.string(), relation: z.enum(['depends-on', 'used-by'])})),
});

const planSchema = z.object({
	formatVersion: z.literal(planFormatVersion),
	stack: z.string(),
	tenant: z.string(),
	environment: z.string(),
	stateSerial: z.int().min(0),
	stateLineage: z.string().nullable(),
	desiredHash: z.string(),
	createdAt: z.string(),
	targets: z.array(z.string()).optional(),
	stackSecurityGroupRecorded: z.boolean().optional(),
	changes: z.array(changeSchema),
	summary: z.object({create: z.int(), update: z.int(), replace: z.int(), delete: z.int(), noop: z.int()}),
	warnings: z.array(z.string()),
	diagnostics: z.array(z.object({severity: z.string(), code: z.string(), message: z.string()}).loose()).optional(),
	recovery: z.array(z.object({address: z.string(), outcome: z.string(), message: z.string()})).optional(),
	protectedEnvironment: z.boolean().optional(),
	promotion: z
		.object({
			from: z.string(),
			variables: z.record(z.string(), z.string()),
			deployedAt: z.string().optional(),
			deployedBy: z.string().optional(),
			serial: z.int().min(0),
		})
		.optional(),
	rollback: z
		.object({serial: z.int().min(1), lineage: z.string(), deployedAt: z.string().optional(), deployedBy: z.string().optional()})
		.optional(),
});

const addressReason = z.object({address: z.string(), reason: z.string()});

const planFileSchema = z.object({
	kind: z.literal(planFileKind),
	formatVersion: z.literal(planFileFormatVersion),
	createdAt: z.string(),
	stackFolder: z.string(),
	stack: z.string(),
	tenant: z.string(),
	environment: z.string(),
	stateLineage: z.string().nullable(),
	stateSerial: z.int().min(0),
	desiredHash: z.string(),
	vars: z.record(z.string(), z.string()).optional(),
	plan: planSchema,
	selection: z
		.object({approved: z.array(z.string()), skipped: z.array(addressReason), requestedSkips: z.array(addressReason), partial: z.boolean()})
		.optional(),
});

/** A plan file from its text; `filePath` is only for messages. Throws PlanFileError. */
export function parsePlanFile(text: string, filePath: string): PlanFile {
	const again = 'make a new one with `panka plan --out FILE`';
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new PlanFileError(
			filePath,
			`plan file ${filePath} is not valid JSON (${(error as Error).message}); it may be truncated or corrupt`,
			again,
		);
	}
	const head = raw as {kind?: unknown; formatVersion?: unknown} | null;
	if (typeof head !== 'object' || head === null || Array.isArray(head) || head.kind !== planFileKind)
		throw new PlanFileError(filePath, `${filePath} is not a panka plan file (expected "kind": "${planFileKind}")`, again);
	if (head.formatVersion !== planFileFormatVersion)
		throw new PlanFileError(
			filePath,
			`plan file ${filePath} has format version ${JSON.stringify(head.formatVersion)}; this panka reads version ${planFileFormatVersion}`,
			again,
		);
	const parsed = planFileSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new PlanFileError(
			filePath,
			`plan file ${filePath} is corrupt: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
			again,
		);
	}
	const file = parsed.data as unknown as PlanFile;
	const {plan} = file;
	if (
		plan.stateSerial !== file.stateSerial ||
		plan.stateLineage !== file.stateLineage ||
		plan.desiredHash !== file.desiredHash ||
		plan.stack !== file.stack ||
		plan.environment !== file.environment
	)
		throw new PlanFileError(filePath, `plan file ${filePath} is corrupt: its header and its plan disagree`, again);
	return file;
}

/** Writes atomically and privately (0600): see the module header. */
export async function writePlanFile(filePath: string, file: PlanFile): Promise<void> {
	await writePrivateFile(filePath, serializePlanFile(file));
}

export async function readPlanFile(filePath: string): Promise<PlanFile> {
	const read = await readTextFile(filePath, filePath, {
		maxBytes: maxDataFileBytes,
		tooLargeHint: 'a plan file is written by panka plan --out; this is not one',
	});
	if (!read.ok)
		throw new PlanFileError(
			filePath,
			read.missing ? `plan file ${filePath} does not exist` : `cannot read plan file ${filePath}: ${read.diagnostic.message}`,
		);
	return parsePlanFile(read.text, filePath);
}

export type PlanRefusal = 'state-changed' | 'other-lineage' | 'state-missing' | 'configuration-changed';

export type PlanApplicability = {ok: true} | {ok: false; reason: PlanRefusal; message: string; hint: string};

const planAgain = 'run `panka plan` again and review the new plan';

/**
 * Whether a saved plan may still be applied: the state must be the same document at the same
 * serial, and the desired configuration must hash the same. The first mismatch is the refusal.
 */
export function checkPlanApplicable(
	planFile: PlanFile,
	currentState: StateDocument | undefined,
	currentDesiredHash: string,
): PlanApplicability {
	const refuse = (reason: PlanRefusal, message: string): PlanApplicability => ({ok: false, reason, message, hint: planAgain});
	const {stateLineage, stateSerial} = planFile;
	if (stateLineage === null) {
		if (currentState && (currentState.serial > 0 || Object.keys(currentState.resources).length > 0))
			return refuse(
				'state-changed',
				`the state changed since this plan was made (serial ${stateSerial} → ${currentState.serial}): plan again`,
			);
	} else if (!currentState) {
		return refuse('state-missing', `the state this plan was made against (serial ${stateSerial}) no longer exists: plan again`);
	} else if (currentState.lineage !== stateLineage) {
		return refuse(
			'other-lineage',
			`the state is another one than this plan was made against (lineage ${stateLineage} → ${currentState.lineage}): plan again`,
		);
	} else if (currentState.serial !== stateSerial) {
		return refuse(
			'state-changed',
			`the state changed since this plan was made (serial ${stateSerial} → ${currentState.serial}): plan again`,
		);
	}
	if (currentDesiredHash !== planFile.desiredHash)
		return refuse(
			'configuration-changed',
			'the stack configuration changed since this plan was made (its files, variables or environment): plan again',
		);
	return {ok: true};
}

/** checkPlanApplicable as an exception, for callers that stop on refusal. */
export class PlanNotApplicableError extends Error {
	constructor(
		readonly reason: PlanRefusal,
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'PlanNotApplicableError';
	}
}

export function assertPlanApplicable(planFile: PlanFile, currentState: StateDocument | undefined, currentDesiredHash: string): void {
	const result = checkPlanApplicable(planFile, currentState, currentDesiredHash);
	if (!result.ok) throw new PlanNotApplicableError(result.reason, result.message, result.hint);
}
