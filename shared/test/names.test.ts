import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkName } from '../src/names.js';

describe('the name rule', () => {
  it('keeps ordinary names, NFC-normalised and with whitespace folded', () => {
    expect(checkName('  星河  战队 ', 20)).toEqual({ ok: true, name: '星河 战队' });
    expect(checkName('Cafe\u0301', 20)).toEqual({ ok: true, name: 'Café' });
    expect(checkName('👨‍👩‍👧 一家人', 20)).toEqual({ ok: true, name: '👨‍👩‍👧 一家人' });
  });

  it('refuses invisible-only, bidi-override, zero-width and multi-line names', () => {
    for (const bad of ['\u200B\u200B', '\u3164', '\u2800', 'abc\u202Eexe.txt', 'a\u200Bb', 'line1\nline2', 'tab\there', '\u2066x\u2069', '\uFEFFname', ' ', '\u200D']) {
      expect(checkName(bad, 20).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('names each refusal by a problem the mini-program can say in its own words', () => {
    expect(checkName('a\u200Bb', 20)).toMatchObject({ ok: false, problem: 'hidden' });
    expect(checkName('\u200D', 20)).toMatchObject({ ok: false, problem: 'hidden' });
    expect(checkName('\u0301\u0301', 20)).toMatchObject({ ok: false, problem: 'blank' });
    expect(checkName('队'.repeat(21), 20)).toMatchObject({ ok: false, problem: 'too_long' });
  });

  it('counts length in characters, so an emoji is one', () => {
    expect(checkName('😀'.repeat(5), 5).ok).toBe(true);
    expect(checkName('😀'.repeat(6), 5).ok).toBe(false);
  });

  it('is a fixed point: a name it accepts, checked again, comes back unchanged and visible', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (raw) => {
        const first = checkName(raw, 40);
        if (!first.ok) return;
        expect(checkName(first.name, 40)).toEqual(first);
        expect(first.name).toBe(first.name.trim());
        expect(first.name.normalize('NFC')).toBe(first.name);
        expect(/[\p{Cc}\u202A-\u202E\u2066-\u2069\u200B]/u.test(first.name)).toBe(false);
      }),
    );
  });
});
