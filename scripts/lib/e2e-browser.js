/*
 * e2e leg: the newcomer's path, in a real browser.
 *
 * For one n8n line: `npm start` (scripts/start.js, the real script, on free ports and a throw-away
 * user folder) → headless Debian Chromium driven by playwright-core:
 *   - log in through the sign-in form,
 *   - find every node in the node panel (search by name; the app entry shows its description,
 *     its actions and, for apps with a trigger, the trigger events),
 *   - open every package node of the examples: Resource, Operation and the fields render, no
 *     resource locator without its mode,
 *   - before anything ran, a node's input panel offers the previous node's fields (output schemas),
 *   - open every credential and run its Test (Save runs it) → "Connection tested successfully",
 *   - open every example and click "Execute workflow" as a newcomer does (n8n's auto-selected
 *     trigger), then open the last node: the output panel shows the promised records,
 * then the restart test: a credential and a workflow edited through the REST API are still as
 * edited after `npm start` runs again (nothing re-imported over them), and `--reset-demo` puts the
 * demo versions back.
 * Screenshots: .e2e/screenshots/n8n<line>/NN-<what>.png (each named in the log line that took it).
 *
 * scripts/e2e.js runs it after the base checks of each n8n line (legs are discovered by file name;
 * only this one: E2E_ONLY=browser E2E_LINES=1 npm run e2e).
 * Standalone: node scripts/lib/e2e-browser.js --n8n 1   (needs dist/, dist-dev/ and runtime/n8n1 ready)
 * Chromium: `apt-get install -y chromium` (/usr/bin/chromium); CHROMIUM_PATH overrides.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const { CREDENTIAL_IDS } = require('./demo');
const { ROOT, N8nRest, DEMO_OWNER, exampleWorkflows, declaredTypes } = require('./n8n-setup');
const { secs, freePort, standaloneChecks } = require('./e2e-checks');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As root in a closed network: no sandbox, no GPU, no background connections to Google.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];


/**
 * What "Execute workflow" must produce in each example, read in the output panel of its last node:
 * how many items, and texts that must be in them (fresh sandbox, fresh n8n).
 */
const EXAMPLE_OUTPUTS = {
	rmExIqmToLoymax1: { node: 'Register Loymax web event', items: 1, texts: ['product_view'] },
	rmExLoymaxCrm001: { node: 'Create CRM order', items: 2, texts: ['Loymax: заказ №5001', 'Loymax: заказ №5002'] },
	rmExTrackingCrm1: { node: 'Move CRM deal', items: 2, texts: ['CN2024112301RU', 'CN2024112302RU'] },
	// The loop makes one run per Neiros deal: the output panel shows one deal per run, 3 runs.
	rmExNeirosToCrm1: { node: 'Create CRM deal', items: 1, runs: 3, texts: ['Звонок'] },
};

/** Runs scripts/start.js until it prints that n8n is running; resolves { child, output(), ms, url }. */
function startDemo(args, { timeoutMs = 8 * 60 * 1000 } = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let output = '';
		let done = false;
		const timer = setTimeout(() => finish(new Error(`npm start did not report n8n running within ${timeoutMs / 1000} s:\n${output.slice(-2000)}`)), timeoutMs);
		const finish = (error, value) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			if (error) {
				killGroup(child, 'SIGKILL');
				reject(error);
			} else resolve(value);
		};
		const sink = (chunk) => {
			output += chunk;
			const m = /is running — open (http:\/\/localhost:\d+)/.exec(output);
			if (m) finish(null, { child, output: () => output, ms: Date.now() - started, url: m[1] });
		};
		child.stdout.on('data', sink);
		child.stderr.on('data', sink);
		child.on('close', (code, signal) => finish(new Error(`npm start exited (${signal ?? `exit ${code}`}) before n8n was running:\n${output.slice(-2000)}`)));
	});
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* gone */
	}
}

/** Ctrl-C for start.js (it stops n8n and the sandbox itself); SIGKILL of its group after 45 s. */
function stopDemo(demo) {
	return new Promise((resolve) => {
		if (!demo || demo.child.exitCode !== null || demo.child.signalCode !== null) return resolve();
		const hard = setTimeout(() => killGroup(demo.child, 'SIGKILL'), 45000);
		demo.child.once('close', () => {
			clearTimeout(hard);
			resolve();
		});
		try {
			process.kill(demo.child.pid, 'SIGINT');
		} catch {
			clearTimeout(hard);
			resolve();
		}
	});
}

/**
 * A scripted, local OpenAI-compatible chat model (POST /v1/chat/completions): the first call
 * answers with a call of the first tool offered, with `args`; the next one (after the tool's
 * result) answers "Tool result: <the tool's answer>". Every request is kept for the assertions.
 */
function scriptedModel(args) {
	const http = require('http');
	const calls = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			let body = {};
			try {
				body = JSON.parse(raw || '{}');
			} catch {
				/* not JSON */
			}
			calls.push({ method: req.method, path: req.url, body });
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url)) {
				res.writeHead(404, { 'Content-Type': 'application/json' });
				return res.end(JSON.stringify({ error: { message: `scripted model: no ${req.method} ${req.url}` } }));
			}
			const toolAnswer = (body.messages ?? []).filter((m) => m.role === 'tool').pop();
			const tool = body.tools?.[0]?.function?.name;
			const message = toolAnswer
				? { role: 'assistant', content: `Tool result: ${String(toolAnswer.content).slice(0, 600)}` }
				: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool, arguments: JSON.stringify(args) } }] };
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(
				JSON.stringify({
					id: `chatcmpl-${calls.length}`,
					object: 'chat.completion',
					created: Math.floor(Date.now() / 1000),
					model: body.model ?? 'gpt-4o-mini',
					choices: [{ index: 0, message, finish_reason: toolAnswer ? 'stop' : 'tool_calls' }],
					usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
				}),
			);
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/v1`, calls, close: () => new Promise((r) => server.close(() => r())) })));
}

/** The AI Agent workflow: Run now → AI Agent, with the scripted model and Synergy CRM as its tool. */
function agentWorkflow(credentialId) {
	return {
		name: 'AI Agent test: Synergy CRM as a tool',
		active: false,
		nodes: [
			{ id: 'a0000000-0000-4000-a000-000000000001', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a0000000-0000-4000-a000-000000000002',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 2,
				position: [260, 0],
				parameters: { promptType: 'define', text: 'Who is the CRM contact with the phone +79876543211?', options: {} },
			},
			{
				id: 'a0000000-0000-4000-a000-000000000003',
				name: 'Scripted model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1,
				position: [200, 220],
				parameters: { model: 'gpt-4o-mini', options: {} },
				credentials: { openAiApi: { id: credentialId, name: 'Scripted model (local)' } },
			},
			{
				id: 'a0000000-0000-4000-a000-000000000004',
				name: 'Find CRM contact',
				type: 'n8n-nodes-rumarket.synergyCrmTool',
				typeVersion: 1,
				position: [380, 220],
				// Resource and Operation fixed; the phone is left to the model ($fromAI); Simplify on.
				parameters: {
					resource: 'contact',
					operation: 'getAll',
					returnAll: false,
					limit: 1,
					filters: { anyPhone: "={{ $fromAI('phone', 'Phone number of the contact, as the user gave it', 'string') }}" },
				},
				credentials: { synergyCrmApi: { id: CREDENTIAL_IDS.synergyCrmApi, name: 'Synergy CRM (sandbox)' } },
			},
		],
		connections: {
			'Run now': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'Scripted model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Find CRM contact': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function expect(cond, message) {
	if (!cond) throw new Error(message);
}

/** The browser part: one page, every check through the UI a user sees. */
async function browserChecks({ line, check, base, shot }) {
	let chromium;
	try {
		({ chromium } = require('playwright-core'));
	} catch (error) {
		await check(line, 'browser: playwright-core is installed', async () => {
			throw error;
		});
		return;
	}
	let browser;
	const ok = await check(line, `browser: Chromium starts headless (${CHROMIUM})`, async () => {
		expect(fs.existsSync(CHROMIUM), `${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60000 });
		return browser.version();
	});
	if (!ok) return;
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
		context.setDefaultTimeout(30000);
		const page = await context.newPage();
		const declared = declaredTypes();
		const examples = exampleWorkflows();

		const loggedIn = await check(line, 'browser: log in through the sign-in form', async () => {
			await page.goto(`${base}/signin`);
			await page.fill('input[name=emailOrLdapLoginId]', DEMO_OWNER.email);
			await page.fill('input[name=password]', DEMO_OWNER.password);
			await page.click('[data-test-id=form-submit-button]');
			await page.waitForURL((u) => !/signin/.test(u.pathname), { timeout: 60000 });
			return `${new URL(page.url()).pathname}; ${await shot(page, 'signed-in')}`;
		});
		if (!loggedIn) return;

		// ---- node panel: every node of the package, found by name
		const apps = declared.nodes.filter((n) => !/Trigger$/.test(n.type));
		const triggers = declared.nodes.filter((n) => /Trigger$/.test(n.type));
		await check(line, `browser: node panel finds all ${declared.nodes.length} nodes (${apps.length} apps, their ${triggers.length} triggers as trigger actions)`, async () => {
			await openCanvas(page, base, examples[0].id);
			const said = [];
			for (const app of apps) {
				const trigger = triggers.find((t) => t.type === `${app.type}Trigger`);
				const desc = (trigger ?? app).description;
				// The canvas's "+" can be slow to appear under load: reload the canvas once before giving up.
				const plus = page.locator('[data-test-id=node-creator-plus-button]');
				if (!(await plus.waitFor({ timeout: 30000 }).then(() => true, () => false))) await openCanvas(page, base, examples[0].id);
				await plus.click({ timeout: 60000 });
				await page.fill('[data-test-id=node-creator-search-bar]', app.displayName);
				const item = page.locator('[data-test-id=node-creator] [data-test-id=item-iterator-item]', { hasText: app.displayName }).first();
				await item.waitFor();
				await item.click();
				const panel = page.locator('[data-test-id=node-creator]');
				await panel.getByText(desc, { exact: false }).first().waitFor();
				const text = await panel.innerText();
				expect(!/^Starts the workflow/m.test(text), `${app.displayName}: the panel describes the app as a trigger only`);
				const actions = /Actions \((\d+)\)/.exec(text);
				expect(actions && Number(actions[1]) > 0, `${app.displayName}: no actions listed`);
				if (trigger) expect(/Triggers/i.test(text), `${app.displayName}: the trigger's events are not listed (${trigger.displayName})`);
				if (app.displayName === 'Synergy CRM') said.push(await shot(page, 'node-panel-synergy-crm'));
				said.push(`${app.displayName}: ${actions[1]} actions${trigger ? ' + triggers' : ''}`);
				await page.keyboard.press('Escape');
				await page.keyboard.press('Escape');
			}
			return said.join('; ');
		});

		// ---- every package node of the examples opens with Resource / Operation / fields
		let shotOfParameters;
		for (const wf of examples) {
			const nodes = wf.nodes.filter((n) => n.type.startsWith(`${declared.manifest.name}.`) && !/Trigger$/.test(n.type));
			const firstOfType = nodes.filter((n, i) => nodes.findIndex((m) => m.type === n.type) === i);
			await check(line, `browser: "${wf.name}": ${firstOfType.map((n) => n.name).join(', ')} open with Resource, Operation and fields`, async () => {
				await openCanvas(page, base, wf.id);
				const said = [];
				for (const node of firstOfType) {
					await page.locator(`[data-test-id=canvas-node][data-node-name="${node.name}"]`).dblclick();
					const ndv = page.locator('[data-test-id=ndv]');
					await ndv.waitFor();
					const value = async (name) => (await ndv.locator(`[data-test-id=parameter-input-${name}] input`).first().inputValue()).trim();
					const resource = await value('resource');
					const operation = await value('operation');
					expect(resource && operation, `${node.name}: Resource "${resource}", Operation "${operation}"`);
					const fields = await ndv.locator('[data-test-id=node-parameters] [data-test-id=parameter-item]').count();
					expect(fields >= 3, `${node.name}: only ${fields} fields shown`);
					const modes = await ndv.locator('[data-test-id=rlc-mode-selector] input').evaluateAll((els) => els.map((e) => e.value));
					expect(modes.every((m) => m && !/^Mode/.test(m)), `${node.name}: a resource locator shows no mode (${JSON.stringify(modes)})`);
					said.push(`${node.name} = ${resource} / ${operation}, ${fields} fields${modes.length ? `, locators ${modes.join('/')}` : ''}`);
					if (node.type.endsWith('.synergyCrm') && !shotOfParameters) {
						shotOfParameters = await shot(page, 'node-synergy-crm-parameters');
						said.push(shotOfParameters);
					}
					await closeNdv(page);
				}
				return said.join('; ');
			});
		}

		// ---- output schemas: before anything ran, the next node already offers the fields to map
		await check(line, 'browser: before any run, "Only orders not copied yet" offers the fields of Loymax Order → Get Many (output schema)', async () => {
			await openCanvas(page, base, 'rmExLoymaxCrm001');
			await page.locator('[data-test-id=canvas-node][data-node-name="Only orders not copied yet"]').dblclick();
			const input = page.locator('[data-test-id=ndv-input-panel]');
			await input.waitFor();
			await input.getByText('items_sum', { exact: false }).first().waitFor();
			const text = await input.innerText();
			const fields = ['local_id', 'client_id', 'number', 'status_name', 'items_sum'].filter((f) => text.includes(f));
			expect(fields.length === 5, `the input panel shows only ${fields.join(', ')}`);
			const file = await shot(page, 'schema-preview-loymax-orders');
			await closeNdv(page);
			return `${fields.join(', ')} shown; ${file}`;
		});

		// ---- credentials: open, Save (runs the Test), "Connection tested successfully"
		for (const cred of declared.credentials) {
			const id = CREDENTIAL_IDS[cred.name];
			await check(line, `browser: credential "${cred.displayName}" opens and its Test passes`, async () => {
				expect(id, `no demo credential of type ${cred.name}`);
				await page.goto(`${base}/home/credentials/${id}`);
				const modal = page.locator('[data-test-id=editCredential-modal]');
				await modal.waitFor();
				// An unchanged credential shows no Save button: re-enter the Base URL (same value).
				const url = modal.locator('[data-test-id=parameter-input-baseUrl] input').first();
				const value = await url.inputValue();
				await url.fill(`${value} `);
				await url.fill(value);
				await modal.locator('[data-test-id=credential-save-button]').click();
				const success = modal.locator('[data-test-id=credentials-config-container-test-success]');
				await success.waitFor({ state: 'visible', timeout: 60000 });
				const text = (await success.innerText()).trim().replace(/\s+/g, ' ');
				const file = await shot(page, `credential-${cred.name}`);
				await page.keyboard.press('Escape');
				return `${text}; ${file}`;
			});
		}

		// ---- examples: the newcomer's click, and the records in the output panel
		for (const wf of examples) {
			const want = EXAMPLE_OUTPUTS[wf.id];
			await check(line, `browser: "${wf.name}": Execute workflow → ${want ? `${want.node} shows the records` : 'runs'}`, async () => {
				await openCanvas(page, base, wf.id);
				const button = page.locator('[data-test-id=execute-workflow-button]');
				const label = (await button.innerText()).replace(/\s+/g, ' ').trim();
				const t = Date.now();
				await button.click();
				await page.waitForTimeout(500);
				await page.waitForFunction(() => !/Executing|Waiting/i.test(document.querySelector('[data-test-id=execute-workflow-button]')?.textContent ?? ''), null, { timeout: 120000 });
				const ms = Date.now() - t;
				const canvasShot = await shot(page, `example-${wf.id}-executed`);
				if (!want) return `"${label}" ${secs(ms)}; ${canvasShot}`;
				await page.locator(`[data-test-id=canvas-node][data-node-name="${want.node}"]`).dblclick();
				const out = page.locator('[data-test-id=output-panel]');
				await out.waitFor();
				// One run: "N items" above the table. Several runs (a loop): a run selector "3 of 3 (1 item)".
				let countText;
				if (want.runs) {
					const selector = out.locator('[data-test-id=run-selector]');
					await selector.waitFor();
					countText = (await selector.locator('input').first().inputValue().catch(() => '')) || (await selector.innerText());
					const runs = /(\d+) of (\d+)/.exec(countText);
					expect(runs && Number(runs[2]) === want.runs, `${want.node}: expected ${want.runs} runs, the run selector says "${countText}"`);
				} else {
					await out.locator('[data-test-id=ndv-items-count], [data-test-id=run-data-item-count]').first().waitFor();
				}
				await out.getByText(want.texts[0], { exact: false }).first().waitFor();
				const text = await out.innerText();
				const ndvShot = await shot(page, `example-${wf.id}-output`);
				const items = /(\d+) items?/.exec(countText ?? text);
				expect(items && Number(items[1]) === want.items, `${want.node}: output shows ${items ? items[0] : 'no item count'} (expected ${want.items}); clicked "${label}"`);
				for (const s of want.texts) expect(text.includes(s), `${want.node}: output lacks "${s}"`);
				await closeNdv(page);
				return `clicked "${label}", ran in ${secs(ms)}; ${want.node}: ${items[0]}${want.runs ? ` × ${want.runs} runs` : ''}; ${canvasShot}, ${ndvShot}`;
			});
		}

		// ---- an AI Agent uses a node as a tool (scripted local model, real n8n agent + tool)
		await check(line, 'browser: AI Agent (scripted local OpenAI-compatible model) calls Synergy CRM as a tool and answers with the contact', async () => {
			const model = await scriptedModel({ phone: '+79876543211' });
			try {
				const rest = new N8nRest(base);
				await rest.ownerLogin(DEMO_OWNER);
				const cred = await rest.call('POST', '/credentials', { name: 'Scripted model (local)', type: 'openAiApi', data: { apiKey: 'sk-local-scripted-model', url: model.url } });
				const credId = cred.body?.data?.id ?? cred.body?.id;
				expect(credId, `credential not created: HTTP ${cred.status} ${JSON.stringify(cred.body).slice(0, 300)}`);
				const wf = await rest.call('POST', '/workflows', agentWorkflow(credId));
				const wfId = wf.body?.data?.id ?? wf.body?.id;
				expect(wfId, `workflow not created: HTTP ${wf.status} ${JSON.stringify(wf.body).slice(0, 300)}`);
				await openCanvas(page, base, wfId);
				await page.locator('[data-test-id=execute-workflow-button]').click();
				await page.waitForTimeout(500);
				await page.waitForFunction(() => !/Executing|Waiting/i.test(document.querySelector('[data-test-id=execute-workflow-button]')?.textContent ?? ''), null, { timeout: 120000 });
				await page.locator('[data-test-id=canvas-node][data-node-name="AI Agent"]').dblclick();
				const out = page.locator('[data-test-id=output-panel]');
				await out.waitFor();
				await out.getByText('Tool result', { exact: false }).first().waitFor({ timeout: 30000 }).catch(() => {});
				const text = await out.innerText();
				const file = await shot(page, 'ai-agent-tool-output');
				await closeNdv(page);
				const completions = model.calls.filter((c) => /chat\/completions$/.test(c.path));
				expect(completions.length === 2, `expected 2 model calls (tool call, answer), got ${completions.length}: ${JSON.stringify(model.calls.map((c) => c.path))}`);
				const tools = (completions[0].body.tools ?? []).map((t) => t.function?.name);
				expect(tools.length === 1 && /Find_CRM_contact/i.test(tools[0]), `tools offered to the model: ${JSON.stringify(tools)}`);
				const toolMessage = (completions[1].body.messages ?? []).find((m) => m.role === 'tool');
				expect(toolMessage && String(toolMessage.content).includes('Иванов'), `the tool's answer given to the model: ${String(toolMessage?.content).slice(0, 300)}`);
				expect(text.includes('Tool result') && text.includes('Иванов'), `AI Agent output: ${text.slice(0, 400)}`);
				return `tool ${tools[0]} called with the phone from the model, answered Иванов (contact 1); ${file}`;
			} finally {
				await model.close();
			}
		});
	} finally {
		await browser.close();
	}
}

async function openCanvas(page, base, id) {
	await page.goto(`${base}/workflow/${id}`);
	await page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 60000 });
	await page.waitForTimeout(300);
}

async function closeNdv(page) {
	const back = page.locator('[data-test-id=back-to-canvas]');
	if (await back.isVisible().catch(() => false)) await back.click();
	else await page.keyboard.press('Escape');
	await page.locator('[data-test-id=ndv]').waitFor({ state: 'hidden' }).catch(() => {});
}

/**
 * The leg: first `npm start`, browser checks, REST edits, second `npm start` (kept), third
 * `npm start -- --reset-demo` (demo restored).
 */
async function run(ctx) {
	const line = ctx.line;
	// scripts/e2e.js passes check(name, fn) (it knows the line); standalone runs print their own lines.
	const check = ctx.check ? (_line, name, fn) => ctx.check(name, fn) : standalone.check;
	const say = ctx.say ?? console.log;
	const legStarted = Date.now();
	const dir = path.join(ROOT, '.e2e', `browser-n8n${line}-${process.pid}`);
	const shots = path.join(ROOT, '.e2e', 'screenshots', `n8n${line}`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.rmSync(shots, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.mkdirSync(shots, { recursive: true });
	const taken = [];
	const shot = async (page, name) => {
		const file = path.join(shots, `${String(taken.length + 1).padStart(2, '0')}-${name.replace(/[^a-zA-Z0-9-]+/g, '-')}.png`);
		await page.screenshot({ path: file });
		taken.push(file);
		return path.relative(ROOT, file);
	};
	const port = await freePort();
	const args = ['--n8n', String(line), '--skip-build', '--user-folder', path.join(dir, 'user'), '--port', String(port), '--sandbox-port', String(await freePort()), '--log', path.join(dir, 'n8n.log')];
	let demo;
	const times = {};
	try {
		const first = await check(line, 'npm start, first start: demo credentials and examples imported, n8n running', async () => {
			demo = await startDemo(args);
			times.first = demo.ms;
			const imported = /Importing (\d+) credentials and (\d+) example workflows/.exec(demo.output());
			expect(imported && imported[1] === '5' && imported[2] === '4', `expected 5 credentials + 4 workflows imported:\n${demo.output().slice(-1500)}`);
			return `${secs(demo.ms)} to "${demo.url}" (scripts/start.js --skip-build; runtime already installed)`;
		});
		if (!first) return;
		const base = `http://127.0.0.1:${port}`;

		await browserChecks({ line, check, base, shot });

		// ---- restart: what the user edited stays
		const rest = new N8nRest(base);
		const edited = { credential: CREDENTIAL_IDS.loymaxApi, workflow: 'rmExLoymaxCrm001', name: 'Loymax (my account)', baseUrl: 'https://api.loymax.example.ru', wfName: 'Loymax → Synergy CRM (my copy)', limit: 7 };
		const okEdit = await check(line, 'REST: edit the Loymax credential (name, Base URL) and the Loymax example (name, a node parameter)', async () => {
			await rest.ownerLogin(DEMO_OWNER);
			const cred = await rest.get(`/credentials/${edited.credential}?includeData=true`);
			await rest.patch(`/credentials/${edited.credential}`, { name: edited.name, type: cred.type, data: { ...cred.data, baseUrl: edited.baseUrl } });
			const wf = await rest.get(`/workflows/${edited.workflow}`);
			const nodes = wf.nodes.map((n) => (n.name === 'Loymax orders' ? { ...n, parameters: { ...n.parameters, returnAll: false, limit: edited.limit } } : n));
			await rest.patch(`/workflows/${edited.workflow}`, { name: edited.wfName, nodes, connections: wf.connections, versionId: wf.versionId });
			return 'saved';
		});
		const readBack = async () => {
			const r = new N8nRest(demo.url.replace('localhost', '127.0.0.1'));
			await r.ownerLogin(DEMO_OWNER);
			const cred = await r.get(`/credentials/${edited.credential}?includeData=true`);
			const wf = await r.get(`/workflows/${edited.workflow}`);
			const limit = wf.nodes.find((n) => n.name === 'Loymax orders')?.parameters?.limit;
			return { credName: cred.name, baseUrl: cred.data?.baseUrl, wfName: wf.name, limit };
		};
		await stopDemo(demo);
		demo = undefined;
		if (okEdit) {
			await check(line, 'npm start again: the edited credential and workflow are kept as edited', async () => {
				demo = await startDemo(args);
				times.second = demo.ms;
				expect(!/Importing/.test(demo.output()), `the second start imported again:\n${demo.output().slice(-1200)}`);
				expect(/Kept your 5 credentials and 4 workflows/.test(demo.output()), `no "Kept your …" line:\n${demo.output().slice(-1200)}`);
				const got = await readBack();
				expect(got.credName === edited.name && got.baseUrl === edited.baseUrl, `credential after restart: ${JSON.stringify({ name: got.credName, baseUrl: got.baseUrl })}`);
				expect(got.wfName === edited.wfName && got.limit === edited.limit, `workflow after restart: ${JSON.stringify({ name: got.wfName, limit: got.limit })}`);
				return `${secs(demo.ms)}; credential "${got.credName}" → ${got.baseUrl}, workflow "${got.wfName}" (limit ${got.limit})`;
			});
			await stopDemo(demo);
			demo = undefined;
			await check(line, 'npm start -- --reset-demo: the demo versions are back', async () => {
				demo = await startDemo([...args, '--reset-demo']);
				times.reset = demo.ms;
				const got = await readBack();
				expect(got.credName === 'Loymax (sandbox)' && /^http:\/\/127\.0\.0\.1:\d+\/loymax$/.test(got.baseUrl ?? ''), `credential after reset: ${JSON.stringify({ name: got.credName, baseUrl: got.baseUrl })}`);
				expect(got.wfName !== edited.wfName && got.limit === undefined, `workflow after reset: ${JSON.stringify({ name: got.wfName, limit: got.limit })}`);
				return `${secs(demo.ms)}; credential "${got.credName}", workflow "${got.wfName}"`;
			});
		}
	} finally {
		await stopDemo(demo);
		say(`      browser leg n8n ${line}.x: ${secs(Date.now() - legStarted)} (npm start: first ${times.first ? secs(times.first) : '—'}, second ${times.second ? secs(times.second) : '—'}, --reset-demo ${times.reset ? secs(times.reset) : '—'})`);
		say(`      screenshots (${taken.length}): ${taken.map((f) => path.relative(ROOT, f)).join(', ')}`);
		if (!process.env.KEEP_E2E) fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** check() for standalone runs: PASS/FAIL lines like scripts/e2e.js. */
const standalone = standaloneChecks();

if (require.main === module) {
	const i = process.argv.indexOf('--n8n');
	const line = Number(i > -1 ? process.argv[i + 1] : 1);
	run({ line })
		.then(() => process.exit(standalone.results.every(Boolean) ? 0 : 1))
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}

module.exports = { run, EXAMPLE_OUTPUTS, CHROMIUM_ARGS, startDemo, stopDemo, scriptedModel, agentWorkflow, freePort };
