#!/usr/bin/env node
/*
 * prepublishOnly: n8n verifies community packages only when they are published from a CI workflow
 * with npm provenance (required since May 2026). This guard stops a plain local `npm publish`:
 * it passes only inside GitHub Actions with provenance on (`--provenance`, npm_config_provenance,
 * or trusted publishing's OIDC token endpoint), i.e. from .github/workflows/publish.yml.
 */
'use strict';

const env = process.env;
const problems = [];
if (env.GITHUB_ACTIONS !== 'true') problems.push('not running in GitHub Actions (GITHUB_ACTIONS is not "true")');
const provenance = env.npm_config_provenance === 'true' || Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
if (!provenance) problems.push('no npm provenance (needs `npm publish --provenance` and `permissions: id-token: write`)');
if (env.npm_config_dry_run === 'true') {
	console.log(`publish guard: dry run — would refuse: ${problems.join('; ') || 'nothing'}`);
	process.exit(0);
}
if (problems.length) {
	console.error(`Refusing to publish: ${problems.join('; ')}.`);
	console.error('Publish by pushing a version tag (v*): .github/workflows/publish.yml builds, tests, scans and publishes with provenance.');
	process.exit(1);
}
console.log('publish guard: GitHub Actions with provenance — OK');
