/**
 * The original tool's forms of a MicroService spec, accepted and rewritten
 * (engine/kinds/legacy-form.ts): `runtime.launchType`/`runtime.networkMode` set to what Fargate
 * always is, and `healthCheck.enabled`/`healthCheck.protocol`.
 */
import {isMapping, type LegacyForm, type LegacyRewrite, valueAt} from '../legacy-form.js';

/** `runtime.launchType: FARGATE` and `runtime.networkMode: awsvpc`: removed. */
const fargateRuntime: LegacyForm = {
	find(document) {
		const fixed: Record<string, string> = {launchType: 'fargate', networkMode: 'awsvpc'};
		return Object.entries(fixed).flatMap(([field, only]): LegacyRewrite[] => {
			const value = valueAt(document, ['spec', 'runtime', field]);
			if (typeof value !== 'string' || value.toLowerCase() !== only) return [];
			return [
				{
					path: ['spec', 'runtime', field],
					message: `runtime.${field}: ${value} is deprecated: a MicroService always runs on Fargate with awsvpc networking; remove runtime.${field}`,
					edits: [{op: 'delete', path: ['spec', 'runtime', field]}],
				},
			];
		});
	},
};

/** `healthCheck.enabled` (false: no healthCheck block) and `healthCheck.protocol` (HTTP/HTTPS: the port's own). */
const healthCheckSwitches: LegacyForm = {
	find(document) {
		const check = valueAt(document, ['spec', 'healthCheck']);
		if (!isMapping(check)) return [];
		const found: LegacyRewrite[] = [];
		if (check.enabled === false || check.enabled === 'false')
			return [
				{
					path: ['spec', 'healthCheck', 'enabled'],
					message: 'healthCheck.enabled: false is deprecated: remove the healthCheck block to have none',
					edits: [{op: 'delete', path: ['spec', 'healthCheck']}],
				},
			];
		if (check.enabled === true || check.enabled === 'true')
			found.push({
				path: ['spec', 'healthCheck', 'enabled'],
				message: 'healthCheck.enabled is deprecated: a healthCheck block is enabled by being there; remove enabled',
				edits: [{op: 'delete', path: ['spec', 'healthCheck', 'enabled']}],
			});
		if (typeof check.protocol === 'string' && /^https?$/i.test(check.protocol))
			found.push({
				path: ['spec', 'healthCheck', 'protocol'],
				message: `healthCheck.protocol: ${check.protocol} is deprecated: the check uses the protocol of the port it probes; remove protocol`,
				edits: [{op: 'delete', path: ['spec', 'healthCheck', 'protocol']}],
			});
		return found;
	},
};

export const microServiceLegacyForms: readonly LegacyForm[] = [fargateRuntime, healthCheckSwitches];
