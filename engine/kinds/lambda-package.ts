/**
 * Lambda code packages: a function's `code.path` folder as a deterministic zip (fflate), so the
 * same content always gives the same bytes and the same SHA-256, and an unchanged folder never
 * causes an UpdateFunctionCode (the hash is compared with the function's CodeSha256).
 *
 * What goes in, and how:
 * - Every regular file under the folder, at its path relative to the folder with `/` separators,
 *   entries sorted by that path (UTF-16 code units, not locale order; fflate takes an object, so
 *   a top-level name that is all digits comes first: still the same order every time). No
 *   directory entries.
 * - Left out: `.git` folders and `.DS_Store` files (version-control and Finder noise). Everything
 *   else is packaged, dotfiles and `node_modules` included: `node_modules` is the function's
 *   dependency folder, and Lambda runs what the folder holds.
 * - Symbolic links are followed (pnpm and workspaces link dependencies); a link to a folder that
 *   is one of its own ancestors is a loop and an error, as is a link to nothing.
 * - Fixed metadata: every entry has the DOS time 1980-01-01 00:00 (the zip epoch), Unix mode 0644,
 *   or 0755 when the file has any execute bit (a custom runtime's `bootstrap` must stay executable),
 *   "made by Unix", deflate level 6. Touching, copying or checking out the folder again changes
 *   nothing.
 * - Lambda's limits are checked before anything is read or sent: at most 250 MiB unzipped
 *   (the error names the largest files) and 50 MiB zipped (the direct-upload limit; larger code
 *   belongs in S3: code.s3Bucket + code.s3Key).
 *
 * Pure of process state: reads only the given folder; never writes.
 */
import {createHash} from 'node:crypto';
import {readdir, readFile, realpath, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {type Zippable, zipSync} from 'fflate';
import {ProviderError} from '../providers/provider.js';

export interface CodePackage {
	zip: Uint8Array;
	/** Base64 SHA-256 of the zip: the form of Lambda's CodeSha256. */
	sha256: string;
	files: number;
	unzippedBytes: number;
}

export interface PackageLimits {
	maxUnzippedBytes: number;
	maxZipBytes: number;
}

const mebibyte = 1024 * 1024;
/** Lambda's quotas: 250 MB unzipped, 50 MB for a zip uploaded with the request. */
export const lambdaPackageLimits: PackageLimits = {maxUnzippedBytes: 250 * mebibyte, maxZipBytes: 50 * mebibyte};

const skippedNames = new Set(['.git', '.DS_Store']);
/** Local time on purpose: fflate writes DOS time from the Date's local fields, so this is 1980-01-01 00:00 in every time zone. */
const zipEpoch = new Date(1980, 0, 1, 0, 0, 0);
const unixHost = 3;
const regularFile = 0o100000;

interface PackagedFile {
	path: string;
	absolute: string;
	size: number;
	mode: number;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function megabytes(bytes: number): string {
	return `${(bytes / mebibyte).toFixed(1)} MiB`;
}

/** Every file to package, sorted by zip path; symlinks followed, loops refused. */
async function collectFiles(folder: string, label: string): Promise<PackagedFile[]> {
	const files: PackagedFile[] = [];
	const walk = async (directory: string, prefix: string, ancestors: ReadonlySet<string>): Promise<void> => {
		for (const name of (await readdir(directory)).sort(byCodeUnits)) {
			if (skippedNames.has(name)) continue;
			const absolute = join(directory, name);
			const path = `${prefix}${name}`;
			let info: Awaited<ReturnType<typeof stat>>;
			try {
				info = await stat(absolute);
			} catch (error) {
				throw new ProviderError(
					`${label}: ${path} cannot be read (a symbolic link to nothing?): ${(error as Error).message}`,
					'CodeUnreadable',
					{cause: error},
				);
			}
			if (info.isDirectory()) {
				const real = await realpath(absolute);
				if (ancestors.has(real))
					throw new ProviderError(`${label}: ${path} is a symbolic link loop (it leads back to ${real}); remove the link`, 'SymlinkLoop');
				await walk(absolute, `${path}/`, new Set([...ancestors, real]));
			} else if (info.isFile()) files.push({path, absolute, size: info.size, mode: info.mode & 0o111 ? 0o755 : 0o644});
			else
				throw new ProviderError(
					`${label}: ${path} is not a regular file or folder (a socket or device?); Lambda packages hold files only`,
					'CodeUnreadable',
				);
		}
	};
	await walk(folder, '', new Set([await realpath(folder)]));
	return files.sort((a, b) => byCodeUnits(a.path, b.path));
}

/**
 * Zip `folder` deterministically (see the module header). `label` names the folder in errors,
 * e.g. "code.path src/worker".
 */
export async function packageFolder(folder: string, label: string, limits: PackageLimits = lambdaPackageLimits): Promise<CodePackage> {
	let info: Awaited<ReturnType<typeof stat>>;
	try {
		info = await stat(folder);
	} catch (error) {
		throw new ProviderError(`${label} does not exist (looked in ${folder})`, 'CodeNotFound', {cause: error});
	}
	if (!info.isDirectory()) throw new ProviderError(`${label} is a file; it must be the folder to package (${folder})`, 'CodeNotFound');
	const files = await collectFiles(folder, label);
	if (files.length === 0) throw new ProviderError(`${label} has no files to package (${folder})`, 'CodeEmpty');
	const unzippedBytes = files.reduce((total, file) => total + file.size, 0);
	if (unzippedBytes > limits.maxUnzippedBytes) {
		const largest = [...files]
			.sort((a, b) => b.size - a.size)
			.slice(0, 3)
			.map((file) => `${file.path} (${megabytes(file.size)})`)
			.join(', ');
		throw new ProviderError(
			`${label} is ${megabytes(unzippedBytes)} unzipped, over Lambda's ${megabytes(limits.maxUnzippedBytes)}; largest: ${largest}`,
			'CodeTooLarge',
		);
	}
	const entries: Zippable = {};
	for (const file of files)
		entries[file.path] = [
			await readFile(file.absolute),
			{mtime: zipEpoch, os: unixHost, attrs: ((regularFile | file.mode) << 16) >>> 0, level: 6},
		];
	const zip = zipSync(entries);
	if (zip.length > limits.maxZipBytes)
		throw new ProviderError(
			`${label} zips to ${megabytes(zip.length)}, over the ${megabytes(limits.maxZipBytes)} Lambda takes with the request; upload it to S3 and use code.s3Bucket + code.s3Key`,
			'CodeTooLarge',
		);
	return {zip, sha256: createHash('sha256').update(zip).digest('base64'), files: files.length, unzippedBytes};
}
