/** The drawn graph's viewport arithmetic and jump matching, as pure functions (graph-picture.ts, graph-state.ts). */
import {describe, expect, it} from 'vitest';
import {centredOn, clampPan, compactBelow, graphPicture, keptInPlace} from '../../components/model/graph-picture.js';
import {jumpTarget, jumpTyped} from '../../components/state/graph-state.js';
import {layoutFor} from '../../components/state/layout.js';
import {loadWorkspace} from '../../engine/index.js';
import {demoStack, demoTenant} from './stack-fixture.js';

const demo = () => loadWorkspace(demoStack, {tenantConfigPath: demoTenant, env: {}});
const wide = layoutFor({columns: 120, rows: 40});

describe('the canvas', () => {
	it('is the pane minus the legend, and boxes shrink to one row below 100 columns', async () => {
		const workspace = await demo();
		const picture = graphPicture(workspace, {scope: 'stack', centre: 'api-server', depth: 2}, wide, false)!;
		expect(picture.canvas).toEqual({width: 118, height: wide.fullRows - picture.legend.length});
		expect(picture.layout.compact).toBe(false);
		const narrow = graphPicture(
			workspace,
			{scope: 'stack', centre: 'api-server', depth: 2},
			layoutFor({columns: compactBelow - 1, rows: 40}),
			false,
		)!;
		expect(narrow.layout.compact).toBe(true);
	});

	it('lays a graph out once per DAG and scope: a pan reuses it', async () => {
		const workspace = await demo();
		const request = {scope: 'neighbourhood', centre: 'api-server', depth: 1} as const;
		expect(graphPicture(workspace, request, wide, false)!.layout).toBe(graphPicture(workspace, request, wide, false)!.layout);
		expect(graphPicture(workspace, {...request, depth: 2}, wide, false)!.layout).not.toBe(
			graphPicture(workspace, request, wide, false)!.layout,
		);
	});
});

describe('the pan', () => {
	const picture = (layoutWidth: number, layoutHeight: number, canvasWidth: number, canvasHeight: number) =>
		({layout: {width: layoutWidth, height: layoutHeight}, canvas: {width: canvasWidth, height: canvasHeight}}) as Parameters<
			typeof clampPan
		>[0];

	it('keeps a drawing larger than the canvas filling it', () => {
		const big = picture(300, 100, 100, 30);
		expect(clampPan(big, {x: -5, y: -5})).toEqual({x: 0, y: 0});
		expect(clampPan(big, {x: 500, y: 500})).toEqual({x: 200, y: 70});
		expect(clampPan(big, {x: 42, y: 7})).toEqual({x: 42, y: 7});
	});

	it('keeps a drawing smaller than the canvas wholly inside it', () => {
		const small = picture(60, 20, 100, 30);
		expect(clampPan(small, {x: 5, y: 5})).toEqual({x: 0, y: 0});
		expect(clampPan(small, {x: -100, y: -100})).toEqual({x: -40, y: -10});
		expect(clampPan(small, {x: -12, y: -3})).toEqual({x: -12, y: -3});
	});

	it('centres on a box, and keeps it where it was when the drawing changes under it', async () => {
		const workspace = await demo();
		const before = graphPicture(workspace, {scope: 'stack', centre: 'processor', depth: 2}, wide, false)!;
		const pan = centredOn(before, 'processor');
		const box = before.layout.nodeById.get('processor')!;
		expect(box.left - pan.x + Math.floor(box.width / 2)).toBe(Math.floor(before.canvas.width / 2));
		const after = graphPicture(workspace, {scope: 'neighbourhood', centre: 'processor', depth: 1}, wide, false)!;
		const kept = keptInPlace(before, pan, after, 'processor');
		const moved = after.layout.nodeById.get('processor')!;
		expect({x: moved.left - kept.x, y: moved.top - kept.y}).toEqual({x: box.left - pan.x, y: box.top - pan.y});
	});
});

describe('the jump', () => {
	it('prefers an exact name, then a name that starts with the text, then one that contains it; any case', async () => {
		const workspace = await demo();
		expect(jumpTarget(workspace, 'SESSIONS')).toBe('sessions');
		expect(jumpTarget(workspace, 'deliv')).toBe('delivery-events');
		expect(jumpTarget(workspace, 'queue')).toBe('notification-queue');
		expect(jumpTarget(workspace, 'nope')).toBeUndefined();
		expect(jumpTarget(workspace, '  ')).toBeUndefined();
	});

	it('takes printable text only', () => {
		const screen = {
			type: 'graph',
			centre: 'a',
			depth: 2,
			cursor: {index: 0, offset: 0},
			drawn: true,
			scope: 'stack',
			pan: {x: 0, y: 0},
			jump: 'ap',
		} as const;
		expect(jumpTyped(screen, {input: 'i'}).jump).toBe('api');
		expect(jumpTyped(screen, {input: '\u001b[2J'}).jump).toBe('ap');
		expect(jumpTyped(screen, {input: 'u', ctrl: true}).jump).toBe('ap');
	});
});
