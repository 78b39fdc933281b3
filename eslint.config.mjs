/*
 * Lint = n8n's verification gate. The configuration is the one the official scanner
 * (@n8n/scan-community-package, pinned in devDependencies) lints community packages with — its own
 * `buildScanConfig()`, with the plugin versions it pins — so `npm run lint` and `npm run scan` can
 * never disagree. `npm run lint` also passes --no-inline-config: an `eslint-disable` comment does
 * not silence the scanner, so it does not silence us either.
 */
import { buildScanConfig } from '@n8n/scan-community-package/scanner/scanner.mjs';

export default [
	{ ignores: ['dist/**', 'dist-dev/**', 'build/**', 'node_modules/**', 'runtime/**', 'test/**', 'sandbox/**', 'bench/**', 'examples/**', 'scripts/**', '*.js', '*.mjs', 'package-lock.json'] },
	...(await buildScanConfig()),
];
