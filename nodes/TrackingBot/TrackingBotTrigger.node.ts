import type { IDataObject, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { countAt, triggerDescription, triggerPoll, type TriggerSpec } from '../shared/trigger';
import { BOT, PAGES, STATUSES, trackingBot, withBot } from './spec';

/**
 * The API's times have no zone (`2025-01-27T10:00:00`); they are only compared with each other,
 * read as UTC (the docs suggest it). The first activation therefore takes what the list holds as
 * its baseline instead of comparing with our clock.
 */
const API_ZONE = 'UTC';

/** Rows: the bot's tracking numbers, read whole every poll (the list has no date filter and no sorting). */
const TRIGGER: TriggerSpec<string[]> = {
	provider: trackingBot,
	name: 'trackingBotTrigger',
	description: 'Manage Tracking Bot tracking numbers and clients, or start a workflow when a tracking number is added or its status changes (polling)',
	event: { default: 'new', description: 'What starts the workflow' },
	events: [
		{ value: 'new', name: 'On New Tracking Number', description: 'A tracking number was registered for the bot', kind: 'new', time: 'created_at' },
		{
			value: 'statusChanged',
			name: 'On Status Changed',
			description: 'The current status of a tracking number changed (the output has previous_status when known)',
			kind: 'changed',
			time: 'updated_at',
			// The version is the status: a change is new because the status differs, not because
			// updated_at grew (the server's clock steps back).
			fingerprint: (record) => String(record.current_status ?? ''),
			// Not remembered (last change before the window, or new): changed when its update time
			// differs from its creation time — earlier counts too (the server's clock stepped back).
			changed: (record) => String(record.updated_at ?? '') !== String(record.created_at ?? ''),
			previous: (remembered) => ({ previous_status: remembered ?? null }),
		},
	],
	properties: [
		{
			displayName: 'To Statuses',
			name: 'statuses',
			type: 'multiOptions',
			options: STATUSES,
			default: [],
			displayOptions: { show: { event: ['statusChanged'] } },
			description: 'Only changes to one of these statuses start the workflow. Empty: every status change.',
		},
	],
	defaults: { overlapMinutes: 10, maxEvents: 100 },
	list: {
		pagination: PAGES,
		items: trackingBot.listItems!,
		total: countAt('total'),
	},
	read: { by: 'scan' },
	parameters: (fn, event) => (event.value === 'statusChanged' ? (fn.getNodeParameter('statuses', []) as string[]) : []),
	watch: async (fn, event, _reader, statuses) => {
		const path = await withBot(fn, `/api/v1/tracking/${BOT}`);
		const accept = statuses.length ? (json: IDataObject) => statuses.includes(String(json.current_status)) : undefined;
		return { scope: `tracking:${event.value}:${path}`, path, zone: API_ZONE, accept };
	},
};

export class TrackingBotTrigger implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(TRIGGER),
		icon: { light: 'file:../../icons/trackingbot.svg', dark: 'file:../../icons/trackingbot.dark.svg' },
		subtitle: '={{$parameter["event"] === "statusChanged" ? "On Status Changed" : "On New Tracking Number"}}',
	};

	poll = triggerPoll(TRIGGER);
}
