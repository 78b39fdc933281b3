import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSearch } from '../shared/listSearch';
import { dealsOf, neiros } from './spec';

/** Site dropdown: GET /sites (one unpaged list), filtered here by name or ID. */
export async function searchSites(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await listSearch(
		this,
		neiros,
		{
			request: { method: 'GET', path: '/api/userapi/v1/sites' },
			items: dealsOf,
			toItem: (site: IDataObject) => ({ name: `${String(site.name ?? site.id)} (${String(site.id)})`, value: String(site.id) }),
		},
		filter,
	);
}
