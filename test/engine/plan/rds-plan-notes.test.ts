/**
 * What the plan tells about an RDS database beyond its fields (the kind's planNotes), on the demo
 * stack: a create says the password secret may be generated (never the password), a replace says
 * the data is lost, an in-place update says nothing extra.
 */
import {describe, expect, it} from 'vitest';
import {type Change, type Plan, planChanges} from '../../../engine/plan/plan.js';
import {renderPlanText} from '../../../source/render/plan-text.js';
import {deployed, demoCopy, edit, errorsOf, loadDemo} from './plan-fixture.js';

// In the tenant's secret namespace: panka adds the prefix to the name the spec writes.
const generatesSecret =
	'will generate secret panka/notifications-team/production/api/db-password if missing (a random password, never shown)';
const losesData = 'replacing the database deletes its data; take a snapshot first';

const database = (plan: Plan): Change => {
	const change = plan.changes.find((c) => c.address === 'api/api-db');
	if (!change) throw new Error('no change for api/api-db');
	return change;
};

describe('RDS plan notes', () => {
	it('a create says the password secret is generated when it does not exist yet', async () => {
		const plan = planChanges(await loadDemo(), undefined);
		expect(database(plan)).toMatchObject({action: 'create', notes: [generatesSecret]});
		expect(renderPlanText(plan, (text) => text)).toContain(`      ! ${generatesSecret}\n`);
	});

	it('an engine change is a replace that warns the data is lost', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'services/api/resources.yaml', 'type: postgres', 'type: mysql');
		const changed = await loadDemo(dir);
		expect(errorsOf(changed)).toEqual([]);
		const plan = planChanges(changed, deployed(ws));
		expect(database(plan)).toMatchObject({
			action: 'replace',
			reasons: ['engine.type cannot change in place'],
			replaceStrategy: 'delete-before-create',
			notes: [losesData, generatesSecret],
		});
		const text = renderPlanText(plan, (text) => text);
		expect(text).toContain('# replaced because engine.type cannot change in place');
		expect(text).toContain(`! ${losesData}`);
	});

	it('an in-place update (more storage) has no notes', async () => {
		const dir = demoCopy();
		const ws = await loadDemo(dir);
		edit(dir, 'services/api/resources.yaml', 'allocatedGB: 100', 'allocatedGB: 200');
		const change = database(planChanges(await loadDemo(dir), deployed(ws)));
		expect(change).toMatchObject({
			action: 'update',
			diff: [{path: 'instance.storage.allocatedGB', action: 'change', before: 100, after: 200}],
		});
		expect(change.notes).toBeUndefined();
	});

	it('an unchanged database has no notes', async () => {
		const ws = await loadDemo();
		const change = database(planChanges(ws, deployed(ws)));
		expect(change.action).toBe('no-op');
		expect(change.notes).toBeUndefined();
	});
});
