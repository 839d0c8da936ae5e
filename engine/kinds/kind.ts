/**
 * The component kind plugin interface (docs/ARCHITECTURE.md §4).
 *
 * A kind is one module under engine/kinds/ that declares everything the kind-agnostic loader,
 * resolver, graph, planner, workbench and sweep need: its spec schema (with defaults and
 * normalisation), its outputs, the fields that force replacement, how it is placed in the tenant's
 * network, its physical names, the references to other components written in its spec, what
 * reading its outputs lets a compute component do, whether it has logs to tail, whether new
 * tenants allow it, how the sweep after a destroy finds what it left, and which of the original
 * tool's forms of its spec it still accepts. No module outside the
 * kind tests a kind's name to decide such things. Adding a kind touches one module (plus its
 * registration in `registry.ts`) and its tests.
 *
 * Providers (create/read/update/delete against AWS) are separate modules, loaded lazily.
 */
import type {z} from 'zod';
import type {CostContext, CostEstimate} from '../cost/cost-types.js';
import type {Broadening, BroadeningContext, BroadeningInput} from './broadening.js';
import type {LegacyForm} from './legacy-form.js';
import type {LeftoverSweep} from './leftovers.js';
import type {PolicyContext, PolicyIssue} from './policies.js';
import type {PathSegment} from '../load/yaml-source.js';
import type {Provider} from '../providers/provider.js';
import type {SecretReferenceTarget} from '../providers/secret-namespace.js';
import type {NameIdentity} from '../resolve/physical-names.js';
import type {HealthReader} from '../status/health.js';

export const componentsApiVersion = 'components.panka.io/v1';

export interface OutputDeclaration {
	description: string;
}

/** A reference from one component's spec to another component, other than `valueFrom`. */
export interface ComponentReference {
	/** Where in the spec the reference is written (for file:line:col). */
	path: PathSegment[];
	/** The referenced component's name. */
	component: string;
	/** Kinds the reference may point at; any kind when absent. */
	acceptsKinds?: readonly string[];
	/** Why the edge exists, shown in the graph: "sqs trigger", "subscription", "target". */
	label: string;
}

/** One `KEY=value` line of a service's `config/*.env` file. */
export interface EnvFileEntry {
	name: string;
	value: string;
	file: string;
	line: number;
}

/** A secret the spec names (MicroService secretRef, RDS passwordSecret.ref), checked against the tenant's secret namespace. */
export interface SecretReference {
	/** Where in the spec the name is written (for file:line:col). */
	path: PathSegment[];
	ref: string;
	/** What the field may name: a Secrets Manager secret, or also an SSM parameter. */
	accepts: SecretReferenceTarget;
}

/** A problem a kind finds in its own (already schema-valid) spec. */
export interface KindIssue {
	path: PathSegment[];
	message: string;
	hint?: string;
	severity?: 'error' | 'warning';
	/** The diagnostic code; `invalid-value` when absent. */
	code?: 'invalid-value' | 'deprecated-runtime';
}

/**
 * One grant that reading an output implies: IAM actions on the resources the source's outputs
 * name. Accesses with the same `name` from one source component merge into one statement.
 */
export interface ReaderAccess {
	/** Orders and merges the statements of one source component (`table`, `queue`, …). */
	name: string;
	actions: readonly string[];
	/** The resources, from the source's current outputs; none (an output missing): nothing granted. */
	resources(outputs: Readonly<Record<string, unknown>>): string[];
}

/** Resources of a ReaderAccess: the ARN in output `output`, once per suffix (`/*` for a bucket's objects). */
export function arnInOutput(output: string, suffixes: readonly string[] = ['']): ReaderAccess['resources'] {
	return (outputs) => {
		const arn = outputs[output];
		return typeof arn === 'string' && arn !== '' ? suffixes.map((suffix) => `${arn}${suffix}`) : [];
	};
}

export interface KindCheckContext {
	/** Absolute path of the service folder, for kinds that point at local files (Lambda code.path). */
	serviceDir: string;
	/** Today, for date-dependent checks (a runtime's end of support). */
	today: Date;
	fileExists(absolutePath: string): boolean;
	isDirectory(absolutePath: string): boolean;
}

export interface KindDefinition<Spec = unknown> {
	kind: string;
	/** One line for `panka schema`, the workbench and docs. */
	summary: string;
	/** The AWS resource type of the primary resource, as in state files. */
	awsType: string;
	/** The spec schema: strict, with defaults, normalising input forms (e.g. "512Mi" → 512). */
	spec: z.ZodType<Spec>;
	/** Outputs other components can read with valueFrom, camelCase. */
	outputs: Readonly<Record<string, OutputDeclaration>>;
	/**
	 * Spec paths (dotted, e.g. `engine.type`) whose change forces a replace; a change at or below a
	 * listed path is a replace, anything else is an in-place update.
	 */
	replaceOn: readonly string[];
	/**
	 * Spec paths whose values are secret: the planner and the state never copy them, writing
	 * `(sensitive)` in their place (names such as secretRef stay visible; values never do). Paths
	 * are dotted; a segment is an object key, an array index, or the name/id of a keyed list item
	 * (`environment.DB_PASSWORD` for both `environment: [{name: DB_PASSWORD, …}]` and
	 * `environment: {DB_PASSWORD: …}`); `*` in a segment matches any run of characters,
	 * case-insensitively. A path covers everything below it.
	 */
	sensitivePaths?: readonly string[];
	/** Does the component run inside the tenant VPC (private subnets + stack security group)? */
	placement(spec: Spec): 'private-subnets' | 'none';
	/** Physical names by role; `primary` is the resource other tools see first. */
	physicalNames(identity: NameIdentity, spec: Spec): {primary: string} & Record<string, string>;
	/**
	 * Roles of `physicalNames` whose resource every component of this kind in one stack shares
	 * (the MicroService cluster): named from the stack's identity, tagged with it, and owned by the
	 * stack rather than by one component.
	 */
	sharedNameRoles?: readonly string[];
	/** Kind-specific references to other components (triggers, subscriptions, targets). */
	references(spec: Spec): ComponentReference[];
	/**
	 * The secrets the spec names. The resolver checks each against the tenant's secret namespace
	 * (providers/secret-namespace.ts) and reports one outside it at its file:line:col, before any
	 * AWS call; a kind that names secrets and does not declare them here would skip that check.
	 */
	secretReferences?(spec: Spec): SecretReference[];
	/** Merge the service's config/*.env entries into the spec (explicit spec values win). */
	withEnvironment?(spec: Spec, entries: readonly EnvFileEntry[]): Spec;
	/** Extra checks that need more than the schema (local files, cross-field rules with hints). */
	check?(spec: Spec, context: KindCheckContext): KindIssue[];
	/** A one-line description of a resolved spec: `fargate 0.25 vCPU / 512 MiB × 3`. */
	describe(spec: Spec): string;
	/**
	 * The spec's estimated monthly cost at the region's prices (engine/cost/): its fixed charges,
	 * plus what the usage assumptions price for a kind billed by use. Pure. A kind without one is
	 * shown as not estimated.
	 */
	cost?(spec: Spec, context: CostContext): CostEstimate;
	/**
	 * What the plan should tell about applying this spec beyond its fields, e.g. "will generate
	 * secret prod/api/db-password if it does not exist" or "replacing deletes the data". Pure.
	 */
	planNotes?(spec: Spec, action: 'create' | 'update' | 'replace', stack: {tenant: string}): string[];
	/**
	 * Its resource stores data (rows, objects, messages) that a change of configuration neither
	 * makes nor restores: a rollback says that data written since is not rolled back.
	 */
	holdsData?: true;
	/**
	 * What a compute component (Lambda, MicroService) that reads one of these outputs through
	 * valueFrom may do with it, by output: its code calls AWS with the value (a TABLE_NAME means
	 * item reads and writes on that table). Outputs not listed grant nothing: they are reached over
	 * the network (an RDS endpoint) or not called at all. Turned into the reader's role policy by
	 * providers/value-sources.ts.
	 */
	readerAccess?: Readonly<Record<string, readonly ReaderAccess[]>>;
	/**
	 * What applying this spec widens (engine/kinds/broadening.ts): new ingress, an internet-facing
	 * load balancer, a public bucket, encryption off, new IAM permissions or secrets its role can
	 * read. Pure; the plan carries the result and approval treats such changes on their own.
	 */
	broadening?(input: BroadeningInput<Spec>, context: BroadeningContext): Broadening[];
	/**
	 * Where the spec breaks the tenant's policies (TenantConfig spec.policies, engine/kinds/policies.ts),
	 * each at its spec path with the rule's code. Pure; only the rules the tenant set are checked.
	 */
	policyIssues?(spec: Spec, context: PolicyContext): PolicyIssue[];
	/** The component writes a CloudWatch log group (its `logGroup` physical name) that `panka logs` and the workbench tail. */
	hasLogs?: boolean;
	/** A new tenant (`panka admin tenant init`) allows this kind in its allowedResources. */
	allowedByDefault: boolean;
	/** Rough time to create on AWS, in seconds: weights the critical path. */
	typicalCreateSeconds: number;
	/**
	 * The provider, loaded on demand (the AWS SDK clients it pulls in are not needed to validate).
	 * A kind without one plans but cannot be applied yet ("no provider yet").
	 */
	provider?: () => Promise<Provider<Spec>>;
	/**
	 * The health reader (`panka status`, the workbench's status pane), loaded on demand like the
	 * provider: facts read from AWS about a deployed component, each fact that is a reason for a
	 * verdict carrying it (engine/status/health.ts). A kind without one is reported `unknown`.
	 */
	health?: () => Promise<HealthReader>;
	/**
	 * How the sweep after a destroy (engine/apply/stack-sweep.ts) finds this kind's resources that
	 * no state records any more, and deletes one (engine/kinds/leftovers.ts), loaded on demand like
	 * the provider, with the kind's own calls and not-found codes. The sweep keeps only what the
	 * stack's ownership tags name, and checks them again before each delete. A kind whose resources
	 * AWS can hold without a state entry declares one.
	 */
	leftovers?: () => Promise<LeftoverSweep>;
	/**
	 * The original tool's forms of this kind's spec that panka still accepts (engine/kinds/legacy-form.ts),
	 * in the order their rewrites are reported and applied: each rewritten before the schema runs,
	 * warned about as `deprecated-form`, and rewritten in the YAML by `panka migrate`
	 * (engine/resolve/legacy-forms.ts runs them).
	 */
	legacyForms?: readonly LegacyForm[];
}

/**
 * Environment variable names that by convention hold secrets. Kinds with an `environment` mark
 * `environment.<pattern>` sensitive, so a literal value written there never reaches a plan or
 * the state (the supported way to pass a secret is secretRef; the planner warns about literals).
 */
export const secretEnvironmentNamePatterns: readonly string[] = [
	'*PASSWORD*',
	'*PASSWD*',
	'*SECRET*',
	'*TOKEN*',
	'*API_KEY*',
	'*APIKEY*',
	'*PRIVATE_KEY*',
	'*CREDENTIAL*',
];

/** Identity helper so each kind module gets its Spec type inferred from its schema. */
export function defineKind<Spec>(definition: KindDefinition<Spec>): KindDefinition<Spec> {
	return definition;
}

/** Whether a spec path change at `changed` (dotted) forces a replace under `replaceOn`. */
export function forcesReplace(replaceOn: readonly string[], changed: string): string | undefined {
	return replaceOn.find((path) => changed === path || changed.startsWith(`${path}.`));
}
