/**
 * Runs a polling trigger the way n8n's poller does: one Workflow holding the trigger node and its
 * static data, a real n8n-core PollContext per poll (mode `trigger`, or `manual` for "Fetch Test
 * Event"). `restart()` saves the static data as JSON (as n8n stores it with the workflow) and loads
 * it into a new Workflow, like an n8n restart between two polls.
 *
 * `durable = true` models n8n 2.x with durable poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED):
 * the node's static data is a staged copy of a cursor row, committed when the poll emits, or when
 * a scheduled poll returns null — but NOT after the activation poll (`poll('trigger', { activation:
 * true })`, n8n's `executePollTrigger(true)`) returns null. The workflow's global static data is
 * saved after activation and on an emit only. Every poll runs on a fresh Workflow loaded from what
 * was saved (as the scheduler's task handler does).
 */
import type { IDataObject, INode, INodeCredentialsDetails, INodeParameters, INodeType, Workflow } from 'n8n-workflow';

import { nodeType, type Harness } from './n8n';

export interface PollResult {
	/** The emitted items' json (empty when the poll returned null). */
	items: IDataObject[];
	/** Whether the poll returned null (nothing new). */
	empty: boolean;
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
}

export class TriggerRunner {
	workflow: Workflow;
	readonly node: INode;
	restarts = 0;
	/** n8n 2.x durable poll cursors (see the file comment). */
	durable = false;
	private cursorRow: IDataObject = {};
	private savedGlobal: IDataObject = {};

	constructor(
		private readonly harness: Harness,
		shortNode: string,
		parameters: INodeParameters,
		credentials: Record<string, INodeCredentialsDetails>,
		private readonly timezone = 'Europe/Moscow',
	) {
		this.node = {
			id: 'trigger',
			name: 'Trigger',
			type: nodeType(shortNode),
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials,
		};
		this.workflow = this.harness.workflow([this.node], {}, this.timezone, {});
	}

	private type(): INodeType {
		return this.harness.pkg.nodeTypes.getByNameAndVersion(this.node.type, 1) as INodeType;
	}

	/** The node's static data as JSON (what n8n saves). */
	saved(): string {
		return JSON.stringify(this.workflow.staticData);
	}

	/** The trigger's own state (its `node` static data). */
	state(): IDataObject {
		return (JSON.parse(this.saved()) as IDataObject)[`node:${this.node.name}`] as IDataObject;
	}

	/** Save the static data as JSON and load it into a new Workflow (an n8n restart). */
	restart(): void {
		const json = this.saved();
		this.workflow = this.harness.workflow([{ ...this.node }], {}, this.timezone, JSON.parse(json) as IDataObject);
		this.restarts++;
	}

	/** Change the node's parameters (the same static data). */
	setParameters(parameters: INodeParameters): void {
		this.node.parameters = parameters;
		this.workflow = this.harness.workflow([{ ...this.node }], {}, this.timezone, JSON.parse(this.saved()) as IDataObject);
	}

	/** One poll; errors are returned, not thrown. */
	async poll(mode: 'trigger' | 'manual' = 'trigger', opts: { activation?: boolean; budgetMs?: number } = {}): Promise<PollResult> {
		if (this.durable && mode === 'trigger') {
			const key = `node:${this.node.name}`;
			const staticData = JSON.parse(JSON.stringify({ global: this.savedGlobal, [key]: this.cursorRow })) as IDataObject;
			this.workflow = this.harness.workflow([{ ...this.node }], {}, this.timezone, staticData);
		}
		const node = this.workflow.getNode(this.node.name)!;
		const ctx = this.harness.pollContext(this.workflow, node, mode);
		// n8n 2.x's PollContext tells a poll its budget (n8n-core 1.x has none).
		if (opts.budgetMs !== undefined) Object.assign(ctx, { getPollBudgetMs: () => opts.budgetMs });
		try {
			const out = await this.type().poll!.call(ctx);
			const items = out ? out[0].map((i) => i.json) : [];
			if (this.durable && mode === 'trigger') {
				const data = JSON.parse(this.saved()) as IDataObject;
				const emitted = out !== null;
				if (emitted || !opts.activation) this.cursorRow = (data[`node:${this.node.name}`] as IDataObject) ?? {};
				if (emitted || opts.activation) this.savedGlobal = (data.global as IDataObject) ?? {};
			}
			return { items, empty: out === null };
		} catch (error) {
			return { items: [], empty: true, error: error as PollResult['error'] };
		}
	}
}
