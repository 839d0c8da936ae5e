/**
 * A deployment as the history lists it (engine/state/deployments.ts reads them from the backend),
 * and the words every view uses for one: the CLI's table and the workbench's history view say
 * the same thing. No AWS, no backend: components may use it.
 */
import {printable} from '../terminal-text.js';
import type {RunOperation, RunRecord} from './state-document.js';

export type DeploymentOutcome = 'completed' | 'partial' | 'cut-short' | 'unknown';

export interface Deployment {
	/** How to name it on the command line: the serial, or `serial@lineage` for an earlier lineage. */
	label: string;
	/** The serial of the state it left (its last version). */
	serial: number;
	/** The first serial it wrote. */
	firstSerial: number;
	lineage: string;
	/** When its last version was written (metadata.deployedAt). */
	at?: string;
	startedAt?: string;
	by?: string;
	/** `unknown`: written before panka recorded runs. */
	operation: RunOperation | 'unknown';
	/** The changes it was asked to make, by action (absent when unknown). */
	changes?: RunRecord['changes'];
	outcome: DeploymentOutcome;
	rolledBackTo?: number;
	promotedFrom?: string;
	/** How many resources the state it left records. */
	resources: number;
	/** Version ids (readStateVersion) of its last version and of the version before it (none: the lineage's first run). */
	versionId: string;
	beforeVersionId?: string;
	/** The current lineage's (the stack as deployed now, or as last destroyed). */
	current: boolean;
}

/** A version that could not be read as a state document: listed, so nobody chooses it. */
export interface UnreadableVersion {
	versionId: string;
	modified: string;
	problem: string;
}

export interface DeploymentHistory {
	/** Newest first. */
	deployments: Deployment[];
	unreadable: UnreadableVersion[];
	/** Whether the state exists now (false: never applied, or destroyed). */
	exists: boolean;
}

export function deploymentTime(at: string | undefined): string {
	return at ? at.replace('T', ' ').slice(0, 19) : 'unknown time';
}

/** `apply`, `rollback to 7`, `promote from staging`, `unknown (before runs were recorded)`. */
export function operationText(deployment: Pick<Deployment, 'operation' | 'rolledBackTo' | 'promotedFrom'>): string {
	if (deployment.operation === 'rollback' && deployment.rolledBackTo !== undefined) return `rollback to ${deployment.rolledBackTo}`;
	if (deployment.operation === 'promote' && deployment.promotedFrom) return `promote from ${printable(deployment.promotedFrom)}`;
	if (deployment.operation === 'unknown') return 'unknown (not recorded)';
	return deployment.operation;
}

/** `+2 ~1 -/+0 -1` style counts of the changes asked for. */
export function countsText(deployment: Pick<Deployment, 'changes'>): string {
	const c = deployment.changes;
	if (!c) return '?';
	const parts = [c.create && `+${c.create}`, c.update && `~${c.update}`, c.replace && `±${c.replace}`, c.delete && `-${c.delete}`].filter(
		Boolean,
	);
	return parts.length > 0 ? parts.join(' ') : 'none';
}

export function outcomeText(deployment: Pick<Deployment, 'outcome'>): string {
	switch (deployment.outcome) {
		case 'completed':
			return 'completed';
		case 'partial':
			return 'partial';
		case 'cut-short':
			return 'cut short';
		case 'unknown':
			return '-';
	}
}
