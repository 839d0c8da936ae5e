/**
 * The table of component kinds: the only place that lists them.
 *
 * Invariants:
 * - Keys are the `kind` values written in component documents (`MicroService`, `SQS`, …), exact
 *   and case-sensitive; suggestions for misspellings are made by the loader from `kindNames`.
 * - The registry is built once at import and never changes; its order (the contract's) is the
 *   order of every list derived from it (kinds with logs, kinds with leftovers, kinds a new tenant
 *   allows, the kinds' legacy forms).
 */
import {dynamoDbKind} from './dynamodb.js';
import {eventBridgeKind} from './eventbridge.js';
import type {KindDefinition} from './kind.js';
import type {LegacyForm} from './legacy-form.js';
import {lambdaKind} from './lambda.js';
import {microServiceKind} from './microservice.js';
import {rdsKind} from './rds.js';
import {s3Kind} from './s3.js';
import {snsKind} from './sns.js';
import {sqsKind} from './sqs.js';

// biome-ignore lint/suspicious/noExplicitAny: each kind has its own spec type; callers narrow by kind.
export type AnyKindDefinition = KindDefinition<any>;

const kinds: readonly AnyKindDefinition[] = [
	microServiceKind,
	lambdaKind,
	rdsKind,
	dynamoDbKind,
	s3Kind,
	sqsKind,
	snsKind,
	eventBridgeKind,
];

export const kindRegistry: ReadonlyMap<string, AnyKindDefinition> = new Map(kinds.map((definition) => [definition.kind, definition]));

/** Every kind name, sorted. */
export const kindNames: readonly string[] = [...kindRegistry.keys()].sort();

/** The kinds whose components write logs panka can tail (`hasLogs`), in registry order. */
export const kindsWithLogs: readonly string[] = kinds.filter((definition) => definition.hasLogs).map((definition) => definition.kind);

/** The kinds whose leftovers the sweep after a destroy looks for (`leftovers`), in registry order. */
export const kindsWithLeftovers: readonly string[] = kinds
	.filter((definition) => definition.leftovers)
	.map((definition) => definition.kind);

/** Each kind's accepted forms of the original tool (`legacyForms`), by kind, in registry order; kinds with none are absent. */
export const legacyFormsByKind: ReadonlyMap<string, readonly LegacyForm[]> = new Map(
	kinds.flatMap((definition) => (definition.legacyForms?.length ? [[definition.kind, definition.legacyForms] as const] : [])),
);

/** The kinds a new tenant allows (`allowedByDefault`), in registry order: the contract's. */
export const defaultAllowedKinds: readonly string[] = kinds
	.filter((definition) => definition.allowedByDefault)
	.map((definition) => definition.kind);

/** Whether components of `kind` have logs to tail. */
export function hasLogs(kind: string): boolean {
	return kindRegistry.get(kind)?.hasLogs === true;
}

/** The definition of `name`, or undefined for an unknown kind. */
export function getKind(name: string): AnyKindDefinition | undefined {
	return kindRegistry.get(name);
}
