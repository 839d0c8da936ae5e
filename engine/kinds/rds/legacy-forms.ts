/**
 * The original tool's forms of an RDS spec, accepted and rewritten (engine/kinds/legacy-form.ts):
 * `backup.maintenanceWindow`, and gp3's fixed baseline `iops: 3000` below 400 GB.
 */
import {isMapping, type LegacyForm, valueAt} from '../legacy-form.js';

/** `backup.maintenanceWindow` → `maintenance.preferredWindow` (removed when that is already set). */
const backupMaintenanceWindow: LegacyForm = {
	find(document) {
		if (valueAt(document, ['spec', 'backup', 'maintenanceWindow']) === undefined) return [];
		const taken = valueAt(document, ['spec', 'maintenance', 'preferredWindow']) !== undefined;
		return [
			{
				path: ['spec', 'backup', 'maintenanceWindow'],
				message: taken
					? 'backup.maintenanceWindow is deprecated and maintenance.preferredWindow already sets the window: remove backup.maintenanceWindow'
					: 'backup.maintenanceWindow is deprecated: write maintenance.preferredWindow',
				edits: taken
					? [{op: 'delete', path: ['spec', 'backup', 'maintenanceWindow']}]
					: [{op: 'move', from: ['spec', 'backup', 'maintenanceWindow'], to: ['spec', 'maintenance', 'preferredWindow']}],
			},
		];
	},
};

/** gp3 below 400 GB with `iops: 3000`: the fixed baseline, which AWS refuses to have set. */
const gp3BaselineIops: LegacyForm = {
	find(document) {
		const storage = valueAt(document, ['spec', 'instance', 'storage']);
		if (!isMapping(storage) || String(storage.type ?? 'gp3').toLowerCase() !== 'gp3') return [];
		const size = Number(storage.allocatedGB);
		if (String(storage.iops) !== '3000' || !Number.isFinite(size) || size >= 400) return [];
		return [
			{
				path: ['spec', 'instance', 'storage', 'iops'],
				message: `iops: 3000 is gp3's fixed baseline below 400 GB (${size} GB here), which AWS does not let you set; remove iops (it can be raised from 400 GB)`,
				edits: [{op: 'delete', path: ['spec', 'instance', 'storage', 'iops']}],
			},
		];
	},
};

export const rdsLegacyForms: readonly LegacyForm[] = [backupMaintenanceWindow, gp3BaselineIops];
