/** `panka version [--json]`: panka's version and the runtime it runs on. */
import type {CommandContext} from '../context.js';
import type {Flags} from '../flags.js';
import {packageVersion} from '../version.js';
import {versionViews} from '../views/version-view.js';
import {chooseView} from '../views/view.js';

export async function versionCommand(_args: string[], flags: Flags, context: CommandContext): Promise<number> {
	chooseView(versionViews, flags, context).version({
		version: packageVersion(),
		node: process.version,
		platform: `${process.platform}-${process.arch}`,
	});
	return 0;
}
