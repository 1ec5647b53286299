import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, decodePageCursor, encodePageCursor } from '../../../src/modules/operators/paging.js';

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', 3, null, { a: [1, 2] }])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",3,,"{""a"":[1,2]}"\r\n',
    );
  });
  it('defuses spreadsheet formulas in text but leaves negative numbers alone', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell(-10)).toBe('-10');
  });
});

describe('page cursors', () => {
  it('round-trip their key and refuse one of the wrong shape', () => {
    const c = encodePageCursor(['2026-11-11T00:00:00.000Z', 'abc']);
    expect(decodePageCursor(c, ['time', 'text'])).toEqual(['2026-11-11T00:00:00.000Z', 'abc']);
    expect(() => decodePageCursor(c, ['int'])).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    expect(() => decodePageCursor('garbage', ['int'])).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
  });
});
