const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Every node folder gets the icons it references (file:../../icons/x.svg resolves from dist/nodes/X/).
function copyIcons() {
	return src('icons/**/*.{png,svg}').pipe(dest(path.resolve('dist', 'icons')));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest(path.resolve('dist', 'nodes')));
}

task('build:icons', parallel(copyIcons, copyCodex));
