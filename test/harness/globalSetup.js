// Builds the package before the tests when a source file is newer than the build, so the harness
// always loads what `npm run build` would publish (dist/, through package.json's "n8n" section).
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

function newest(dir) {
	let latest = 0;
	if (!fs.existsSync(dir)) return latest;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) latest = Math.max(latest, newest(full));
		else latest = Math.max(latest, fs.statSync(full).mtimeMs);
	}
	return latest;
}

module.exports = async () => {
	const marker = path.join(root, 'dist', '.built');
	const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
	const sources = Math.max(
		newest(path.join(root, 'nodes')),
		newest(path.join(root, 'credentials')),
		newest(path.join(root, 'icons')),
		fs.statSync(path.join(root, 'package.json')).mtimeMs,
	);
	if (sources > built || process.env.FORCE_BUILD) {
		// tsc emits even when some file has a type error (reported here; `npm run build` and CI fail
		// on it), so one unfinished file does not stop every other suite from running.
		try {
			execSync('npx tsc -p tsconfig.json', { cwd: root, stdio: 'inherit' });
		} catch (error) {
			console.error('tsc reported errors (see above); testing what it emitted');
		}
		execSync('npx gulp build:icons --silent', { cwd: root, stdio: 'inherit' });
		fs.writeFileSync(marker, new Date().toISOString());
	}
};
