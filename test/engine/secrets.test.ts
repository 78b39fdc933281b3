/**
 * The redactor's scan (nodes/shared/secrets.ts): output redaction reads the text only at sampled
 * positions, so these tests put every 12-character piece of every form of a secret at every
 * position relative to the samples, and compare with a plain search on random texts.
 */
import { FRAGMENT, formsOf, redact } from '../../nodes/shared/secrets';

const SECRETS = [
	'synergy-test-token-0123456789',
	'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcGkifQ.sig-Abc_123',
	'пароль с пробелом/и+знаками&=?',
	'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
];
/** Not in any form of the secrets above. */
const PAD = '☃';
const MARK = '[redacted]';

/** Every position of `text` that a FRAGMENT-long piece of a form covers, by looking at every position. */
function plainScan(text: string, secrets: string[]): string {
	const pieces = new Set<string>();
	for (const secret of secrets) {
		for (const form of formsOf(secret)) for (let i = 0; i + FRAGMENT <= form.length; i++) pieces.add(form.slice(i, i + FRAGMENT));
	}
	const covered = new Array<boolean>(text.length).fill(false);
	for (let i = 0; i + FRAGMENT <= text.length; i++) {
		if (pieces.has(text.slice(i, i + FRAGMENT))) for (let k = i; k < i + FRAGMENT; k++) covered[k] = true;
	}
	let out = '';
	for (let i = 0; i < text.length; i++) {
		if (!covered[i]) out += text[i];
		else if (i === 0 || !covered[i - 1]) out += MARK;
	}
	return out;
}

describe('output redaction: every piece of a secret at every position', () => {
	it('finds each 12-character piece of each form, whatever comes before it', () => {
		let checked = 0;
		for (const secret of SECRETS) {
			for (const form of formsOf(secret)) {
				for (let at = 0; at + FRAGMENT <= form.length; at++) {
					const piece = form.slice(at, at + FRAGMENT);
					// 0 … FRAGMENT characters before: the piece meets the sampled positions every way.
					for (let pad = 0; pad <= FRAGMENT; pad++) {
						const text = `${PAD.repeat(pad)}${piece}${PAD.repeat(3)}`;
						expect([text, redact(text, [secret], { output: true })]).toEqual([text, `${PAD.repeat(pad)}${MARK}${PAD.repeat(3)}`]);
						checked++;
					}
				}
			}
		}
		expect(checked).toBeGreaterThan(1000);
	});

	it('leaves 11 characters of a secret alone, and text shorter than a piece', () => {
		for (const secret of SECRETS) {
			for (let pad = 0; pad < FRAGMENT; pad++) {
				const text = `${PAD.repeat(pad)}${secret.slice(3, 3 + FRAGMENT - 1)}${PAD}${secret.slice(3 + FRAGMENT - 1, 3 + 2 * FRAGMENT - 2)}`;
				expect(redact(text, [secret], { output: true })).toBe(text);
			}
		}
	});

	it('matches a plain search of every position on random texts made of pieces of secrets', () => {
		let seed = 7;
		const random = (n: number) => {
			seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
			return seed % n;
		};
		const forms = SECRETS.flatMap((s) => formsOf(s));
		const filler = `ab-_01=%+/ ${PAD}ПРО"\\AZ`;
		let redacted = 0;
		for (let round = 0; round < 3000; round++) {
			let text = '';
			for (let part = 0, parts = 1 + random(6); part < parts; part++) {
				for (let k = random(25); k > 0; k--) text += filler[random(filler.length)];
				const form = forms[random(forms.length)];
				const from = random(form.length);
				text += form.slice(from, from + random(form.length - from + 1));
			}
			const expected = plainScan(text, SECRETS);
			const got = redact(text, SECRETS, { output: true });
			expect([text, got]).toEqual([text, expected]);
			if (got !== text) redacted++;
		}
		// Both kinds of text were met: with and without a piece of a secret.
		expect(redacted).toBeGreaterThan(500);
		expect(redacted).toBeLessThan(3000);
	});
});
