import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSearch } from '../shared/listSearch';
import { loymax, loymaxSimplify, PAGINATION } from './spec';

/** One dropdown entry: the record's name (or code / title) and its Platform id. */
function entry(record: IDataObject) {
	const flat = loymaxSimplify(record);
	const label = flat.name ?? flat.title ?? flat.code ?? flat.local_id ?? flat.id;
	return { name: `${String(label)} (${String(flat.id)})`, value: String(flat.id) };
}

/** A Loymax list as a searchable dropdown (the API documents no search filter: filtered here). */
function lister(path: string) {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await listSearch(this, loymax, { request: { method: 'GET', path }, pagination: PAGINATION, toItem: entry }, filter, paginationToken);
	};
}

export const listSearchMethods = {
	searchDictionaries: lister('/dictionary'),
	searchPromoCodeGroups: lister('/promocode-group'),
	searchEmailCampaigns: lister('/communication/email/'),
	searchSmsCampaigns: lister('/communication/sms/'),
	searchPushCampaigns: lister('/communication/push/'),
};
