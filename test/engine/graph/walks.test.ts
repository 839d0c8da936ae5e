import {describe, expect, it} from 'vitest';
import {heaviestChainFrom, orderAfter, reachable, stuckInCycles} from '../../../engine/graph/walks.js';

/** A graph as adjacency: id → the ids it points at, in the order given. */
const graph = (edges: Record<string, string[]>) => (id: string) => edges[id] ?? [];

describe('graph walks', () => {
	it('reachable: the starts and everything they lead to, breadth first, each reached once and told how', () => {
		const how: string[] = [];
		const seen = reachable(['a'], graph({a: ['b', 'c'], b: ['d'], c: ['d', 'a'], d: []}), (id, from) => how.push(`${from}→${id}`));
		expect([...seen]).toEqual(['a', 'b', 'c', 'd']);
		expect(how).toEqual(['a→b', 'a→c', 'b→d']);
	});

	it('orderAfter: places each id right after what it waits for, in preference order, and cuts a loop where it closes', () => {
		expect(orderAfter(['api', 'db', 'queue'], graph({api: ['db', 'queue']})).order).toEqual(['db', 'queue', 'api']);
		const {order, looped} = orderAfter(['a', 'b'], graph({a: ['b'], b: ['a']}));
		expect(order).toEqual(['b', 'a']);
		expect([...looped].sort()).toEqual(['a', 'b']);
	});

	it('stuckInCycles: nothing for an acyclic graph; the members of a loop and what waits on them otherwise', () => {
		const waiting = (deps: Record<string, string[]>) => new Map(Object.entries(deps).map(([id, d]) => [id, d.length]));
		const dependentsOf = (deps: Record<string, string[]>) => (id: string) => Object.keys(deps).filter((k) => deps[k]!.includes(id));
		const acyclic = {a: [], b: ['a'], c: ['a', 'b']};
		expect(stuckInCycles(Object.keys(acyclic), dependentsOf(acyclic), waiting(acyclic))).toEqual([]);
		const looped = {a: [], b: ['c'], c: ['b'], d: ['c']};
		expect(stuckInCycles(Object.keys(looped), dependentsOf(looped), waiting(looped))).toEqual(['b', 'c', 'd']);
	});

	it('heaviestChainFrom: the weight of the heaviest chain from each id to the end, itself included', () => {
		const weights: Record<string, number> = {a: 1, b: 5, c: 2, d: 1};
		const chain = heaviestChainFrom(['a', 'b', 'c', 'd'], graph({a: ['b', 'c'], b: ['d'], c: ['d']}), (id) => weights[id]!);
		expect(Object.fromEntries(chain)).toEqual({a: 7, b: 6, c: 3, d: 1});
	});

	it('never recurses: a 20,000-long chain is walked without overflowing the stack', () => {
		const n = 20_000;
		const next = (id: string) => (Number(id) + 1 < n ? [String(Number(id) + 1)] : []);
		expect(reachable(['0'], next).size).toBe(n);
		expect(orderAfter(['0'], next).order[0]).toBe(String(n - 1));
		expect(heaviestChainFrom(['0'], next, () => 1).get('0')).toBe(n);
	});
});
