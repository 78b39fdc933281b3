/*
 * Loymax REST API (vendor docs "REST API"; doc sections cited by their titles). Every table row is one documented
 * endpoint; one file per resource in resources/, helpers in shared.ts. Notes that matter:
 * - Bodies are flat JSON (section "Обзор" says JSON:API, yet every body is a flat field list), Content-Type application/json (accepted by every endpoint).
 * - "Booleans" are the strings "Y", "N", "" (section "Типы данных"): options, never JSON true/false.
 * - PATCH replaces the whole record ("ВАЖНО: Запрос обновляет все поля" in every "Изменить …" section): Update offers "Keep Fields Not Given" (GET, merge,
 *   PATCH the whole object).
 * - POST on customer, order, product, category and promo code group upserts by local_id: safe to
 *   repeat, so marked idempotent.
 * - Dates are "strings" of no documented format ("в строковом формате"): ISO 8601 in the workflow time zone.
 */

import { readCredential } from '../shared/credentials';
import { recordOf } from '../shared/execute';
import type { ProviderSpec, ResourceSpec } from '../shared/spec';
import { loymaxListItems, loymaxSimplify, writeRecord } from './shared';
import { customer } from './resources/customer';
import { customerSubscription } from './resources/customerSubscription';
import { customerChannel } from './resources/customerChannel';
import { customerMailing } from './resources/customerMailing';
import { customerDevice } from './resources/customerDevice';
import { customerBonus } from './resources/customerBonus';
import { customerMarker } from './resources/customerMarker';
import { order } from './resources/order';
import { event } from './resources/event';
import { webEvent } from './resources/webEvent';
import { product } from './resources/product';
import { category } from './resources/category';
import { emailCampaign, smsCampaign, pushCampaign } from './resources/campaigns';
import { pushState } from './resources/pushState';
import { poll } from './resources/poll';
import { blackList } from './resources/blackList';
import { promoCodeGroup } from './resources/promoCodeGroup';
import { dictionary } from './resources/dictionary';
import { dictionaryItem } from './resources/dictionaryItem';

/** Writes output the record the API answered, flattened (no Simplify toggle: the shape is small). */
function flattenWrites(resources: ResourceSpec[]): ResourceSpec[] {
	for (const resource of resources) {
		for (const operation of resource.operations) {
			if (operation.method !== 'GET' && !operation.run && !operation.record) operation.record = writeRecord;
		}
	}
	return resources;
}

export const loymax: ProviderSpec = {
	displayName: 'Loymax',
	credentialType: 'loymaxApi',
	credential: async (fn) =>
		await readCredential(
			fn,
			{ type: 'loymaxApi', defaultBaseUrl: 'https://api.loymaxsc.net', secretFields: ['password', 'sessionToken'] },
			'Loymax',
		),
	login: true,
	headers: { 'Content-Type': 'application/json' },
	protectedHeaders: ['authorization'],
	// Documented: 1000 requests per minute per IP; on 429 pause for one minute.
	rateLimit: { requests: 1000, windowMs: 60_000, pauseAfter429Ms: 60_000 },
	listItems: loymaxListItems,
	recordOf,
	simplify: loymaxSimplify,
	customPagination: { pageParam: 'page[number]', sizeParam: 'page[size]', maxPageSize: 100 },
	resources: flattenWrites([
		customer,
		customerSubscription,
		customerChannel,
		customerMailing,
		customerDevice,
		customerBonus,
		customerMarker,
		order,
		event,
		webEvent,
		product,
		category,
		emailCampaign,
		smsCampaign,
		pushCampaign,
		pushState,
		poll,
		blackList,
		promoCodeGroup,
		dictionary,
		dictionaryItem,
	]),
};

export { PAGINATION, loymaxListItems, loymaxSimplify, writableFields } from './shared';
