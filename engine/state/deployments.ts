/**
 * A stack's deployment history, read from the versions the backend keeps of its state (local
 * numbered backups, S3 bucket versions): one entry per run that wrote the state.
 *
 * Invariants:
 * - A run writes many versions (checkpoints); they carry the same `metadata.run.id` and are one
 *   deployment, named by the serial of its last version (the state it left). A version written
 *   before panka recorded runs has no id: it is a deployment of its own, operation `unknown`.
 * - Versions are ordered by lineage, then serial (never by the store's timestamps, which may tie);
 *   lineages by when their first version was written. A destroy that removed everything deletes
 *   the state, and the next apply starts a new lineage at serial 1, so a serial alone names a
 *   deployment only within its lineage: labels of earlier lineages carry the lineage's first
 *   eight characters (`3@1f2e3d4c`), the current lineage's are the bare serial.
 * - `before` of a deployment is the last version of the run before it in the same lineage
 *   (nothing for the first run of a lineage): what `panka history show` compares.
 * - The outcome is the run's own word on its last version: `completed`, `partial`, or `cut-short`
 *   when its last version still says `running` (the process ended before the run did).
 * - Unreadable versions are listed with their problem, never dropped and never fatal.
 */
import type {Backend} from './backend.js';
import type {Deployment, DeploymentHistory, UnreadableVersion} from './deployment-words.js';
import type {StateDocument, StateKey} from './state-document.js';
import {readStateVersion, type StateVersion, stateHistory} from './state-store.js';

/** A state version read and parsed. */
export interface ReadVersion {
	version: StateVersion;
	state: StateDocument;
}

/** Every deployment the backend's versions of this state record, newest first. */
export async function readDeploymentHistory(backend: Backend, key: StateKey): Promise<DeploymentHistory> {
	// Every version is read (one GET each): a history reaches back as far as the store keeps versions.
	const versions = await stateHistory(backend, key, {limit: Number.POSITIVE_INFINITY, documents: true, concurrency: 8});
	const unreadable: UnreadableVersion[] = [];
	const read: ReadVersion[] = [];
	for (const version of versions) {
		if (version.document) read.push({version, state: version.document});
		else unreadable.push({versionId: version.id, modified: version.modified, problem: version.problem ?? 'unreadable'});
	}
	return {deployments: groupDeployments(read), unreadable, exists: versions.some((v) => v.latest)};
}

/** The versions grouped into runs (see the module header), newest first. */
export function groupDeployments(versions: readonly ReadVersion[]): Deployment[] {
	const byLineage = new Map<string, ReadVersion[]>();
	for (const entry of versions) {
		const list = byLineage.get(entry.state.lineage) ?? [];
		list.push(entry);
		byLineage.set(entry.state.lineage, list);
	}
	const started = (list: readonly ReadVersion[]) => list[0]!.state.metadata.deployedAt ?? list[0]!.version.modified;
	const lineages = [...byLineage.values()]
		.map((list) => list.sort((a, b) => a.state.serial - b.state.serial))
		.sort((a, b) => started(a).localeCompare(started(b)));
	const newest = lineages.at(-1)?.[0]?.state.lineage;
	const deployments: Deployment[] = [];
	for (const list of lineages) {
		const runs: ReadVersion[][] = [];
		for (const entry of list) {
			const last = runs.at(-1);
			const id = entry.state.metadata.run?.id;
			if (last && id !== undefined && last.at(-1)!.state.metadata.run?.id === id) last.push(entry);
			else runs.push([entry]);
		}
		runs.forEach((run, index) => {
			const last = run.at(-1)!;
			const {metadata, serial, lineage} = last.state;
			const record = metadata.run;
			const current = lineage === newest;
			deployments.push({
				label: current ? String(serial) : `${serial}@${lineage.slice(0, 8)}`,
				serial,
				firstSerial: run[0]!.state.serial,
				lineage,
				...(metadata.deployedAt ? {at: metadata.deployedAt} : {}),
				...(record?.startedAt ? {startedAt: record.startedAt} : {}),
				...(metadata.deployedBy ? {by: metadata.deployedBy} : {}),
				operation: record?.operation ?? 'unknown',
				...(record ? {changes: {...record.changes}} : {}),
				outcome: !record ? 'unknown' : record.outcome === 'running' ? 'cut-short' : record.outcome,
				...(record?.rolledBackTo !== undefined ? {rolledBackTo: record.rolledBackTo} : {}),
				...(record?.promotedFrom !== undefined ? {promotedFrom: record.promotedFrom} : {}),
				resources: Object.keys(last.state.resources).length,
				versionId: last.version.id,
				...(index > 0 ? {beforeVersionId: runs[index - 1]!.at(-1)!.version.id} : {}),
				current,
			});
		});
	}
	return deployments.reverse();
}

export type DeploymentLookup = {ok: true; deployment: Deployment} | {ok: false; message: string; hint: string};

/** The deployment `label` names: a serial of the current lineage, or `serial@lineage-prefix`. */
export function findDeployment(history: DeploymentHistory, label: string): DeploymentLookup {
	const match = /^(\d+)(?:@([0-9a-f-]+))?$/i.exec(label.trim());
	const listed = 'panka history lists the deployments with their serials';
	if (!match)
		return {
			ok: false,
			message: `${label} is not a serial: expected a number such as 7, or 7@1f2e3d4c for an earlier lineage`,
			hint: listed,
		};
	const serial = Number(match[1]);
	const lineage = match[2]?.toLowerCase();
	const candidates = history.deployments.filter((d) =>
		lineage ? d.lineage.startsWith(lineage) && d.serial === serial : d.current && d.serial === serial,
	);
	if (candidates.length === 1) return {ok: true, deployment: candidates[0]!};
	if (candidates.length > 1)
		return {
			ok: false,
			message: `${label} names ${candidates.length} deployments`,
			hint: `use more of the lineage: ${candidates.map((d) => `${d.serial}@${d.lineage}`).join(', ')}`,
		};
	// A serial that is the middle of a run (a checkpoint) names that run.
	const within = history.deployments.find(
		(d) => (lineage ? d.lineage.startsWith(lineage) : d.current) && d.firstSerial <= serial && serial <= d.serial,
	);
	if (within) return {ok: true, deployment: within};
	const earlier = lineage ? [] : history.deployments.filter((d) => !d.current && d.firstSerial <= serial && serial <= d.serial);
	return {
		ok: false,
		message: `no deployment with serial ${label} in the state's history${earlier.length > 0 ? ` of the current lineage (earlier lineages have one: ${earlier.map((d) => d.label).join(', ')})` : ''}`,
		hint: listed,
	};
}

/** The state a deployment left, and the state before it (undefined: it was the first of its lineage). */
export async function readDeploymentStates(
	backend: Backend,
	key: StateKey,
	deployment: Deployment,
): Promise<{before: StateDocument | undefined; after: StateDocument}> {
	const [after, before] = await Promise.all([
		readStateVersion(backend, key, deployment.versionId),
		deployment.beforeVersionId ? readStateVersion(backend, key, deployment.beforeVersionId) : Promise.resolve(undefined),
	]);
	if (!after) throw new Error(`state version ${deployment.versionId} (serial ${deployment.label}) can no longer be read`);
	return {before, after};
}
