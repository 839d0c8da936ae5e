/** `panka version [--json]`: panka's version and the runtime it runs on. */
import {type CommandContext, writeLine} from '../context.js';
import type {Flags} from '../flags.js';
import {jsonDocument} from '../render/json.js';
import {packageVersion} from '../version.js';

export async function versionCommand(_args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const info = {version: packageVersion(), node: process.version, platform: `${process.platform}-${process.arch}`};
	if (flags.json) writeLine(context.stdout, jsonDocument('Version', info));
	else writeLine(context.stdout, `panka ${info.version} (node ${info.node}, ${info.platform})`);
	return 0;
}
