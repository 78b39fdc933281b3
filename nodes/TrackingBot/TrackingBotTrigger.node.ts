import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	listReader,
	pollOptionsProperty,
	readAllStable,
	readPollOptions,
	runPoll,
	timeOf,
	type Observation,
} from '../shared/polling';
import { send } from '../shared/transport';
import { BOT, PAGES, STATUSES, trackingBot, withBot } from './spec';

const DEFAULTS = { overlapMinutes: 10, maxEvents: 100 };

/**
 * The API's times have no zone (`2025-01-27T10:00:00`); they are only compared with each other,
 * read as UTC (the docs suggest it). The first activation therefore takes what the list holds as
 * its baseline instead of comparing with our clock.
 */
const API_ZONE = 'UTC';

export class TrackingBotTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tracking Bot Trigger',
		name: 'trackingBotTrigger',
		icon: { light: 'file:../../icons/trackingbot.svg', dark: 'file:../../icons/trackingbot.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "statusChanged" ? "On Status Changed" : "On New Tracking Number"}}',
		description: 'Starts the workflow when a tracking number is added or its status changes (polling)',
		defaults: { name: 'Tracking Bot Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'trackingBotApi', required: true, }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'On New Tracking Number', value: 'new', description: 'A tracking number was registered for the bot' },
					{
						name: 'On Status Changed',
						value: 'statusChanged',
						description: 'The current status of a tracking number changed (the output has previous_status when known)',
					},
				],
				default: 'new',
				description: 'What starts the workflow',
			},
			{
				displayName: 'To Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: STATUSES,
				default: [],
				displayOptions: { show: { event: ['statusChanged'] } },
				description: 'Only changes to one of these statuses start the workflow. Empty: every status change.',
			},
			pollOptionsProperty(DEFAULTS),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as 'new' | 'statusChanged';
		const statuses = event === 'statusChanged' ? (this.getNodeParameter('statuses', []) as string[]) : [];
		const options = readPollOptions(this, DEFAULTS);
		const reader = await listReader(this, trackingBot);
		const path = await withBot(this, `/api/v1/tracking/${BOT}`);
		const readItems = trackingBot.listItems!;
		const field = event === 'new' ? 'created_at' : 'updated_at';

		return await runPoll(this, {
			scope: `tracking:${event}:${path}`,
			options,
			// No start date: the list as the first poll finds it is the baseline (see API_ZONE).
			now: 0,
			baseline: true,
			plan: {
				kind: event === 'new' ? 'new' : 'changed',
				overlapMs: options.overlapMs,
				maxEvents: options.maxEvents,
				accept: statuses.length ? (o) => statuses.includes(String(o.json.current_status)) : undefined,
			},
			observe: async (_since, state) => {
				// The list has no date filter and no sorting: every poll reads it whole (100 a page).
				const { records, complete } = await readAllStable(
					reader,
					{ method: 'GET', path, qs: {}, headers: {} },
					PAGES,
					readItems,
					(body) => {
						const total = Number((body as IDataObject | undefined)?.total);
						return Number.isFinite(total) ? total : undefined;
					},
				);
				const observed = records.map((record): Observation => {
					const created = timeOf(record.created_at, API_ZONE);
					const updated = timeOf(record.updated_at, API_ZONE);
					const id = String(record.id);
					const json: IDataObject = { ...record };
					if (event === 'statusChanged') json.previous_status = state.fp?.[id] ?? null;
					return {
						id,
						ts: event === 'new' ? created : updated,
						fp: String(record.current_status ?? ''),
						// Not remembered (last change before the window, or new): changed when updated after creation.
						changed: updated > created,
						json,
					};
				});
				return { observed, complete };
			},
			latest: async () => {
				const first = (await send(reader.fn, reader.provider, { method: 'GET', path, qs: { page: 1, page_size: 100 }, headers: {} }, reader.options)).body as IDataObject;
				const total = Number(first?.total ?? 0);
				const pages = Math.max(1, Math.ceil(total / 100));
				const body = pages > 1 ? (await send(reader.fn, reader.provider, { method: 'GET', path, qs: { page: pages, page_size: 100 }, headers: {} }, reader.options)).body : first;
				const records = readItems(body).filter((r) => !statuses.length || statuses.includes(String(r.current_status)));
				records.sort((a, b) => timeOf(b[field], API_ZONE) - timeOf(a[field], API_ZONE) || Number(b.id) - Number(a.id));
				return records.slice(0, 1);
			},
		});
	}
}
