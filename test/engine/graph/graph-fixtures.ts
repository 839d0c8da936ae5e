/**
 * Graphs the layout, drawing and picture tests share: the demo stack (loaded by the engine), a
 * cycle with a self-edge, and the 50-component stack of the benchmarks (bench/generate-stack.ts).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {generateStack} from '../../../bench/generate-stack.js';
import {buildDag, type Dag, type DagEdge, type DagNode} from '../../../engine/graph/dag.js';
import {loadWorkspace, type Workspace} from '../../../engine/workspace.js';
import {repoRoot} from '../../helpers/stack-fixture.js';

export const demoFolder = path.join(repoRoot, 'demo/notification-platform');
export const demoTenantFile = path.join(repoRoot, 'demo/tenant.yaml');

export function loadDemo(): Promise<Workspace> {
	return loadWorkspace(demoFolder, {tenantConfigPath: demoTenantFile, env: {}});
}

/** A generated stack of `components` components, loaded; the folder is removed once loaded. */
export async function loadGenerated(components: number): Promise<Workspace> {
	const parent = mkdtempSync(path.join(os.tmpdir(), 'panka-graph-'));
	try {
		return await loadWorkspace(generateStack(parent, components), {env: {}});
	} finally {
		rmSync(parent, {recursive: true, force: true});
	}
}

const node = (id: string, kind = 'SQS'): DagNode => ({id, address: `loop/${id}`, kind, service: 'loop', weight: 1});
const edge = (from: string, to: string, label: string): DagEdge => ({from, to, label});

/** a needs b needs c needs a (a cycle of three kinds of edge), d subscribes to a and targets itself, e is on its own. */
export function cycleDag(): Dag {
	return buildDag(
		[node('a'), node('b', 'Lambda'), node('c'), node('d', 'SNS'), node('e', 'S3')],
		[
			edge('a', 'b', 'dependsOn'),
			edge('b', 'c', 'sqs trigger'),
			edge('c', 'a', 'valueFrom a.queueUrl'),
			edge('d', 'a', 'subscription'),
			edge('d', 'd', 'target'),
		],
	);
}
