/**
 * Where a blob lives, in words a user can act on: the file path of a local backend, the
 * `s3://bucket/key` URL of an S3 one, and how to reach the earlier versions each keeps.
 *
 * Used only to build messages and hints (StateCorruptError, LockHeldError); storage itself always
 * goes through the BlobStore.
 */
import path from 'node:path';
import type {Backend} from './backend.js';
import {backupsSuffix} from './local-blob-store.js';

/** `/home/me/.panka/tenants/acme/…/state.json` or `s3://bucket/prefix/tenants/acme/…/state.json`. */
export function blobLocation(backend: Backend, key: string): string {
	const {spec} = backend;
	if (spec.kind === 'local') return path.join(spec.home, ...key.split('/'));
	return `s3://${spec.bucket}/${s3ObjectKey(backend, key)}`;
}

/** How to list (and restore) the earlier versions of a blob, as commands the user can run today. */
export function earlierVersionsHint(backend: Backend, key: string): string {
	const {spec} = backend;
	if (spec.kind === 'local') {
		const file = blobLocation(backend, key);
		return `earlier versions are kept in ${file}${backupsSuffix}/ (the highest number is the newest): list them with \`ls -l ${file}${backupsSuffix}/\` and copy a good one over ${file}`;
	}
	const objectKey = s3ObjectKey(backend, key);
	return (
		`earlier versions are kept by bucket versioning: list them with \`aws s3api list-object-versions --bucket ${spec.bucket} --prefix ${objectKey}\`` +
		` and restore one with \`aws s3api copy-object --bucket ${spec.bucket} --key ${objectKey} --copy-source '${spec.bucket}/${objectKey}?versionId=<VersionId>'\``
	);
}

function s3ObjectKey(backend: Backend, key: string): string {
	return backend.spec.kind === 's3' && backend.spec.prefix ? `${backend.spec.prefix}/${key}` : key;
}
