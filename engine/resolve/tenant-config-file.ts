/**
 * Loading a TenantConfig from a YAML file (`--tenant-config FILE`); the registry-backed source
 * arrives with tenants and login. Problems are diagnostics with positions in that file, its path
 * shown relative to the stack folder like every other diagnostic.
 */
import path from 'node:path';
import type {Diagnostic} from '../diagnostics.js';
import {readTextFile} from '../load/read-text-file.js';
import {parseYamlFile} from '../load/yaml-source.js';
import {type TenantConfig, tenantConfigSchema} from '../model/tenant-config.js';
import {classifyDocument} from './documents.js';
import {checkAgainstSchema} from './schema-diagnostics.js';

export interface LoadedTenantConfig {
	config?: TenantConfig;
	/** The file as diagnostics name it (relative to the stack folder). */
	file: string;
	diagnostics: Diagnostic[];
}

export async function loadTenantConfigFile(absolutePath: string, stackRoot: string): Promise<LoadedTenantConfig> {
	const file = toPosix(path.relative(stackRoot, absolutePath)) || path.basename(absolutePath);
	const read = await readTextFile(absolutePath, file);
	if (!read.ok) {
		const diagnostic = read.diagnostic;
		return {
			file,
			diagnostics: [
				{
					...diagnostic,
					code: 'tenant-config',
					message: read.missing ? `tenant config ${file} does not exist` : `tenant config: ${diagnostic.message}`,
					flag: '--tenant-config',
				},
			],
		};
	}
	return parseTenantConfig(file, read.text);
}

export function parseTenantConfig(file: string, text: string): LoadedTenantConfig {
	const parsed = parseYamlFile(file, text);
	const diagnostics = [...parsed.diagnostics];
	const document = parsed.documents[0];
	if (!document) {
		if (diagnostics.length === 0)
			diagnostics.push({severity: 'error', code: 'empty-document', message: 'tenant config file is empty', file, line: 1, column: 1});
		return {file, diagnostics};
	}
	const classified = classifyDocument(document);
	if (!classified.ok) return {file, diagnostics: [...diagnostics, ...classified.diagnostics]};
	if (classified.kind !== 'TenantConfig') {
		const {line, column} = document.positionOf(['kind']);
		diagnostics.push({
			severity: 'error',
			code: 'wrong-document-kind',
			message: `expected a TenantConfig document, found ${classified.kind}`,
			file,
			line,
			column,
		});
		return {file, diagnostics};
	}
	const checked = checkAgainstSchema(tenantConfigSchema, {document, base: [], value: document.value});
	diagnostics.push(...checked.diagnostics);
	return checked.ok ? {config: checked.data, file, diagnostics} : {file, diagnostics};
}

function toPosix(p: string): string {
	return p.split(path.sep).join('/');
}
