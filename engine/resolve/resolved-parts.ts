/**
 * The parts of a resolved stack (resolve-stack.ts): its stack, services and components, as the
 * workspace, the plan and the apply read them. Types only, in a module of their own so that the
 * component resolution (resolve-component.ts) and the stack's share them without an import circle.
 */
import type {SourcePosition} from '../diagnostics.js';
import type {EnvFileEntry} from '../kinds/kind.js';
import type {PathSegment, SourceDocument} from '../load/yaml-source.js';
import type {StackDocument} from '../model/stack.js';
import type {EnvironmentSpec} from './environments.js';
import type {Interpolation} from './interpolate.js';
import type {LegacyProvider} from './legacy-forms.js';
import type {ResolvedNetworking, StackNetworking} from './networking.js';

export interface StackInfo {
	name: string;
	tenant?: string;
	description?: string;
	labels: Record<string, string>;
	file?: string;
	valid: boolean;
	document?: StackDocument;
	networking?: StackNetworking;
	/** The original tool's `spec.provider`, when stack.yaml still has it (checked against the tenant). */
	legacyProvider?: LegacyProvider & {position: SourcePosition};
}

export interface ServiceInfo {
	name: string;
	dirName: string;
	/** The service's folder (absolute): Lambda `code.path` is relative to it. */
	dir: string;
	file?: string;
	line: number;
	description?: string;
	labels: Record<string, string>;
	dependsOn: string[];
	variables: Record<string, string>;
	/** Component names, in file order. */
	components: string[];
	envFiles: string[];
}

export interface ComponentReferenceInfo {
	component: string;
	output?: string;
	label: string;
	path: PathSegment[];
	position: SourcePosition;
	/** Kinds the target may be; any kind when absent. */
	acceptsKinds?: readonly string[];
	/** False when the target does not exist or is of the wrong kind (already diagnosed). */
	resolved: boolean;
}

export interface ResolvedComponent {
	name: string;
	/** `service/component`: how the component is shown everywhere. */
	address: string;
	kind: string;
	service: string;
	file: string;
	line: number;
	column: number;
	description?: string;
	labels: Record<string, string>;
	/** Did the spec pass its kind's schema? When false, `spec` is the interpolated input. */
	valid: boolean;
	spec: unknown;
	/** The spec after interpolation, before schema defaults and normalisation. */
	inputSpec: unknown;
	/** How interpolated scalars got their values, keyed by `pathKey(path)`. */
	interpolations: ReadonlyMap<string, Interpolation>;
	/** Which spec paths this environment's `environments.<env>` block wrote (see sourcePath). */
	environmentOverride: Pick<EnvironmentSpec, 'environment' | 'overridden'>;
	/** Environment entries that came from the service's config/*.env files. */
	envFromFiles: EnvFileEntry[];
	references: ComponentReferenceInfo[];
	/** Explicit `dependsOn` names. */
	dependsOn: string[];
	outputs: string[];
	networking?: ResolvedNetworking;
	physicalNames: Record<string, string>;
	tags: Record<string, string>;
	summary: string;
	document: SourceDocument;
}
