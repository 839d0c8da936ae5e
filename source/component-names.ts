/**
 * The components a command's name arguments pick (`panka logs api worker/processor`, `panka status
 * orders-queue`): each name may be a component, a service (all its components) or an address.
 * None named: every candidate. A name that picks nothing is a usage error with a suggestion; the
 * result keeps the candidates' order, once each.
 */
import {statSync} from 'node:fs';
import path from 'node:path';
import {didYouMean} from '../engine/index.js';
import {UsageError} from './errors.js';

export interface NamedComponent {
	name: string;
	service: string;
	address: string;
}

/** `what` says which components a name may pick ("MicroService or Lambda component"). */
export function componentsNamed<C extends NamedComponent>(
	candidates: readonly C[],
	names: readonly string[],
	what: string,
	hint: string,
): C[] {
	if (names.length === 0) return [...candidates];
	const picked = new Set<C>();
	for (const name of names) {
		const matches = candidates.filter((c) => c.name === name || c.service === name || c.address === name);
		if (matches.length === 0)
			throw new UsageError(
				`no ${what} or service named ${name}${didYouMean(name, [...candidates.map((c) => c.name), ...new Set(candidates.map((c) => c.service))])}`,
				hint,
			);
		for (const match of matches) picked.add(match);
	}
	return candidates.filter((c) => picked.has(c));
}

/** `[folder] [name …]`: the first argument is the folder when it is a directory, else a name. */
export function folderAndNames(args: readonly string[], cwd: string): {folder: string | undefined; names: string[]} {
	const folder = args[0] && isDirectory(path.resolve(cwd, args[0])) ? args[0] : undefined;
	return {folder, names: folder ? args.slice(1) : [...args]};
}

function isDirectory(file: string): boolean {
	try {
		return statSync(file).isDirectory();
	} catch {
		return false;
	}
}
