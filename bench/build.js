// `npm run bench` step 1: build the package (dist/, what n8n loads) when sources changed, the way
// the test suite does, then compile the benchmarks and the sandbox into dist-dev/. tsc emits even
// when another helper's unfinished file has a type error; that error is printed, not fatal here.
const { execSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');

async function main() {
	await require(path.join(root, 'test', 'harness', 'globalSetup.js'))();
	try {
		execSync('npx tsc -p bench/tsconfig.json', { cwd: root, stdio: 'inherit' });
	} catch (error) {
		console.error('bench: tsc reported errors (see above); running what it emitted');
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
