const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Every node folder gets the icons it references (file:../../icons/x.svg resolves from dist/nodes/X/).
function copyIcons() {
	return src('icons/**/*.{png,svg}').pipe(dest(path.resolve('dist', 'icons')));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest(path.resolve('dist', 'nodes')));
}

// Output schemas (nodes/<Node>/__schema__/v<version>/<resource>/<operation>.json): n8n serves them
// from next to the built node file, and the editor shows their fields before the node has run.
function copySchemas() {
	return src('nodes/*/__schema__/**/*.json').pipe(dest(path.resolve('dist', 'nodes')));
}

task('build:icons', parallel(copyIcons, copyCodex, copySchemas));
