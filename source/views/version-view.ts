/** The view of `panka version`: one line, or one Version document. */
import {jsonDocument} from '../render/json.js';
import type {Views} from './view.js';

export interface VersionInfo {
	version: string;
	node: string;
	platform: string;
}

export interface VersionView {
	version(info: VersionInfo): void;
}

export const versionViews: Views<VersionView> = {
	human: (out) => ({version: (info) => out.line(`panka ${info.version} (node ${info.node}, ${info.platform})`)}),
	json: (out) => ({version: (info) => out.line(jsonDocument('Version', {...info}))}),
};
