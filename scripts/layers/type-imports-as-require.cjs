/**
 * Babel plugin for the layer check only (never used to build). TypeScript erases `import type` and
 * `export type … from`, so a plain transform would hide them from dependency-cruiser. This rewrites
 * each into `() => require('…')`: panka's code is ES modules and never calls require, so in the
 * import graph the dependency type `require` means exactly "type-only" (.dependency-cruiser.cjs).
 *
 * It runs on Program.enter: TypeScript's own transform drops type-only imports when it enters the
 * program, and a plugin's visitor runs before a preset's.
 */
module.exports = function typeImportsAsRequire({types: t}) {
	const typeOnlyMarker = (source) =>
		t.expressionStatement(t.arrowFunctionExpression([], t.callExpression(t.identifier('require'), [t.stringLiteral(source.value)])));
	return {
		visitor: {
			Program: {
				enter(program) {
					for (const statement of program.get('body')) {
						const {node} = statement;
						const typeOnlyImport = node.type === 'ImportDeclaration' && node.importKind === 'type';
						const typeOnlyReexport = node.type === 'ExportNamedDeclaration' && node.exportKind === 'type' && node.source;
						if (typeOnlyImport || typeOnlyReexport) statement.replaceWith(typeOnlyMarker(node.source));
					}
				},
			},
		},
	};
};
