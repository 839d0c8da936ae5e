/**
 * One measured validate + graph run in a fresh process (so peak RSS is this run's alone):
 * prints {ms, maxRssMb, components, edges, errors} as JSON.
 */
import {loadWorkspace} from '../engine/workspace.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: validate-child <stack folder>');
const started = performance.now();
const workspace = await loadWorkspace(dir);
const ms = performance.now() - started;
process.stdout.write(
	`${JSON.stringify({
		ms,
		maxRssMb: process.resourceUsage().maxRSS / 1024,
		components: workspace.components.length,
		edges: workspace.graph.edges.length,
		levels: workspace.graph.levels.length,
		errors: workspace.diagnostics.filter((d) => d.severity === 'error').length,
	})}\n`,
);
