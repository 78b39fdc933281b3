import type { ResourceSpec } from '../../shared/spec';
import { create, dateTime, num, str } from '../shared';

// ---------- web event ----------

// Section "Зарегистрировать web-событие" (POST /web_event) describes the events in words only — registration,
// login, app card view, category view, product view, add to / remove from cart, cart clear,
// checkout complete, custom event — and gives no codes: the name is free text, and the examples
// in its description are ours, marked as such.
const WEB_EVENT_EXAMPLES = 'registration, login, product_view, add_to_cart, checkout_complete';

export const webEvent: ResourceSpec = {
	value: 'webEvent',
	name: 'Web Event',
	description: 'Site and app events (registration, login, product view, cart …)',
	operations: [
		create('a web event', 'Register a web event', '/web_event', [
				str('client_id', 'Client ID', 'ID of the customer in your master system', { required: true }),
				str('session_id', 'Session ID', 'ID of the visitor session', { required: true }),
				dateTime('date', 'Date', 'Date of the web event', { required: true }),
				str('name', 'Name', `Web event name (its code) as set up in your Loymax solution. The docs describe the events (registration, login, product view, add to cart, checkout …) without giving their codes; examples only, not Loymax codes: ${WEB_EVENT_EXAMPLES}.`, {
					required: true,
					placeholder: 'e.g. product_view (example; use your Loymax code)',
				}),
				// source_code is typed string here (Number on devices): sent as text.
				str('source_code', 'Source Code', 'ID of the event source'),
				str('category_id', 'Category ID', 'ID of the product category in your master system'),
				str('product_id', 'Product ID', 'ID of the product in your master system'),
				num('quantity', 'Quantity', 'Units of the product, e.g. 2 or 0.5'),
				num('price', 'Price', 'Price of the product, e.g. 199.9'),
				str('container', 'Container', 'Name of the container the event is placed in'),
		]),
	],
};
