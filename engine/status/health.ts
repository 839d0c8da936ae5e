/**
 * The health of a deployed component, read from AWS (`panka status`, the workbench's status pane).
 *
 * Invariants:
 * - A kind's reader (its KindDefinition `health`) states facts; the verdict is derived here, by
 *   one rule: the worst verdict any fact carries (a fact without one is information). A reader
 *   never computes a component's verdict itself, so "why is it degraded?" is always answered by
 *   the facts that say so.
 * - Verdicts order healthy < unknown < degraded < failing; a stack's verdict is its worst
 *   component's, and a stack with nothing deployed is `unknown`.
 * - Readers only read: no AWS write, no state write. A reader that cannot read (an AWS error) makes
 *   the component `unknown` with the error as its one fact; a resource AWS no longer has is
 *   `failing`.
 */
import type {AwsClients} from '../aws/aws-clients.js';
import type {StateResource} from '../state/state-document.js';

export const healthVerdicts = ['healthy', 'unknown', 'degraded', 'failing'] as const;
export type HealthVerdict = (typeof healthVerdicts)[number];

/** One thing read from AWS: `running tasks: 2 of 3`. A fact with a verdict is a reason for it. */
export interface HealthFact {
	name: string;
	value: string;
	verdict?: Exclude<HealthVerdict, 'healthy'>;
}

/** Something AWS recorded happening to the component (an ECS service event), newest first. */
export interface HealthEvent {
	at: string;
	message: string;
}

/** What a kind's reader returns: the facts, or that AWS does not have the resource. */
export type HealthReading = {exists: false} | {exists: true; facts: HealthFact[]; events?: HealthEvent[]};

export interface HealthContext {
	clients: AwsClients;
	signal: AbortSignal;
	/** The component's address (`service/component`), for error messages. */
	address: string;
	/** When the read started: the end of the window metrics are read over (metrics.ts). */
	now: Date;
}

/** A kind's health reader: the resource as the state records it → facts from AWS. */
export type HealthReader = (context: HealthContext, resource: StateResource) => Promise<HealthReading>;

export interface ComponentHealth {
	address: string;
	service: string;
	component: string;
	kind: string;
	verdict: HealthVerdict;
	facts: HealthFact[];
	events: HealthEvent[];
	/** Whether the kind writes logs `panka logs` can show (a failing component links to them). */
	hasLogs: boolean;
}

/** The worse of two verdicts. */
export function worseVerdict(a: HealthVerdict, b: HealthVerdict): HealthVerdict {
	return healthVerdicts.indexOf(a) >= healthVerdicts.indexOf(b) ? a : b;
}

/** A component's verdict from its facts: the worst any fact carries, else healthy. */
export function verdictOfFacts(facts: readonly HealthFact[]): HealthVerdict {
	return facts.reduce<HealthVerdict>((verdict, fact) => worseVerdict(verdict, fact.verdict ?? 'healthy'), 'healthy');
}

/** A stack's verdict: its worst component's; nothing deployed is unknown. */
export function stackVerdict(components: readonly Pick<ComponentHealth, 'verdict'>[]): HealthVerdict {
	if (components.length === 0) return 'unknown';
	return components.reduce<HealthVerdict>((verdict, c) => worseVerdict(verdict, c.verdict), 'healthy');
}
