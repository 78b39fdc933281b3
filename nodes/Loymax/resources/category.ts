import { catalogResource, str } from '../shared';

export const category = catalogResource(
	'category',
	'Product Category',
	'product category',
	'/category',
	str('parent_id', 'Parent ID', 'ID of the parent category in your master system'),
);
