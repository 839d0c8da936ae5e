import {loadWorkspace} from './engine/workspace.ts';
import {layoutGraph} from './engine/graph/layout.ts';
import {drawWhole, rowText, graphLegend} from './engine/graph/draw.ts';
import {buildDag} from './engine/graph/dag.ts';
const ws = await loadWorkspace('demo/notification-platform');
for (const compact of [false, true]) {
const t0 = performance.now();
const l = layoutGraph(ws.graph, {compact});
const rows = drawWhole(l, {glyphs: false});
console.log((performance.now()-t0).toFixed(1), 'ms', l.width, l.height);
console.log(rows.map(rowText).join('\n'));
console.log(graphLegend(l, ws.graph.cycles, {width: 80}).map(rowText).join('\n'));
}
const n = (id: string) => ({id, address: `s/${id}`, kind: 'SQS', service: 's', weight: 1});
const dag = buildDag([n('a'), n('b'), n('c'), n('d')], [{from: 'a', to: 'b', label: 'dependsOn'}, {from: 'b', to: 'c', label: 'sqs trigger'}, {from: 'c', to: 'a', label: 'valueFrom a.x'}, {from: 'd', to: 'a', label: 'subscription'}, {from: 'd', to: 'd', label: 'target'}]);
const l = layoutGraph(dag);
console.log(drawWhole(l).map(rowText).join('\n'));
console.log(graphLegend(l, dag.cycles, {width: 80}).map(rowText).join('\n'));
