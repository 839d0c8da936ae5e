/**
 * What the recorded state says is deployed, as the tree's one-cell marker and the details pane's
 * line. Pure; `deployed` is the workbench's last answer from the caller's deployedStatus service
 * (undefined before the first answer, or without the service: then nothing is shown at all, so a
 * workbench without a tenant looks as it always did).
 *
 *   ●  green   deployed, ready
 *   ✗  red     deployed, failed (the next apply applies it again)
 *   ●  yellow  deployed, tainted (the next apply replaces it)
 *   ○  dim     not deployed
 */
import {costFigure} from '../../engine/index.js';
import type {DeployedStatuses} from '../services.js';
import {theme} from '../theme.js';
import {type Line, type Segment, seg} from './line.js';

export type Deployed = {statuses: DeployedStatuses} | {error: string} | undefined;

export function deployedMarker(deployed: Deployed, address: string): Segment | undefined {
	if (!deployed || 'error' in deployed) return undefined;
	const resource = deployed.statuses[address];
	if (!resource) return seg('○', {dim: true});
	switch (resource.status) {
		case 'ready':
			return seg('●', {color: theme.ok});
		case 'failed':
			return seg('✗', {color: theme.error, bold: true});
		case 'tainted':
			return seg('●', {color: theme.warning});
	}
}

export function deployedLine(deployed: Deployed, address: string): Line | undefined {
	if (!deployed) return undefined;
	if ('error' in deployed) return [seg(`deployed status unknown: ${deployed.error}`, {color: theme.warning})];
	const resource = deployed.statuses[address];
	const marker = deployedMarker(deployed, address)!;
	if (!resource) return [marker, seg(' not deployed', {dim: true})];
	const what = {
		ready: 'deployed',
		failed: 'deployed, failed: the next apply applies it again',
		tainted: 'deployed, tainted: the next apply replaces it',
	}[resource.status];
	return [
		marker,
		seg(` ${what}`, resource.status === 'ready' ? {color: theme.ok} : {color: resource.status === 'failed' ? theme.error : theme.warning}),
		seg(`  ${resource.physicalId}`, {dim: true}),
		...(resource.cost
			? [
					seg('  '),
					seg(resource.cost.usageBased ? costFigure(resource.cost.monthly, true) : `${costFigure(resource.cost.monthly)} a month`),
					seg(` (${resource.cost.prices})`, {dim: true}),
				]
			: []),
	];
}
