import { catalogResource, str } from '../shared';

export const product = catalogResource(
	'product',
	'Product',
	'product',
	'/product',
	str('category_id', 'Category ID', 'ID of the product category in your master system'),
);
