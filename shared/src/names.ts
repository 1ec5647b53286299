/**
 * The one rule for anything a user names (nicknames, team names): the server applies it before
 * storing and answers its reason as a 400; the mini-program applies it as the user types
 * (`logic/text-limit.ts`) and says each `problem` in its own words.
 *
 * - NFC-normalised, so one name has one spelling (and one length);
 * - control, bidi-override, zero-width and other invisible format characters refused (they hide,
 *   reorder or fake text other users read), except the zero-width joiner inside emoji sequences;
 * - letters that render as nothing (Hangul fillers, blank braille) refused;
 * - runs of whitespace become one space, ends trimmed;
 * - at least one visible character; at most `maxLength` characters (code points).
 */

/** Why a name was refused: `hidden` characters, nothing `blank` to read, or `too_long`. */
export type NameProblem = 'hidden' | 'blank' | 'too_long';

export type NameCheck = { ok: true; name: string } | { ok: false; problem: NameProblem; reason: string };

// \p{Cc} controls (incl. newline, tab), \p{Cf} format (bidi marks and overrides, zero-width space,
// BOM, soft hyphen…), \p{Co}/\p{Cs}/\p{Cn} private, surrogate and unassigned, line/paragraph separators.
const FORBIDDEN = /[\p{Cc}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]|(?!\u200D)\p{Cf}|[\u115F\u1160\u3164\uFFA0\u2800]/u;
// The joiner is allowed only between two emoji (👨‍👩‍👧), where it is part of one picture.
const LONE_JOINER = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

export function checkName(raw: string, maxLength: number): NameCheck {
  const name = raw.normalize('NFC').replace(/[\s\u3000]+/gu, ' ').trim();
  // Whitespace other than a plain space (tabs, newlines) is a control character: refused, not folded.
  if (FORBIDDEN.test(raw.normalize('NFC').replace(/[ \u3000]/g, ''))) {
    return { ok: false, problem: 'hidden', reason: 'must not contain control, bidi or invisible characters' };
  }
  if (LONE_JOINER.test(name)) return { ok: false, problem: 'hidden', reason: 'must not contain invisible characters' };
  if (!VISIBLE.test(name)) return { ok: false, problem: 'blank', reason: 'needs at least one visible character' };
  if ([...name].length > maxLength) return { ok: false, problem: 'too_long', reason: `must be at most ${maxLength} characters` };
  return { ok: true, name };
}

/** What the chat platform's content check (msg_sec_check `result.label`) found, in the words the user reads. */
const REFUSAL_REASONS: Record<number, string> = {
  10001: '含有广告信息',
  20001: '含有时政敏感内容',
  20002: '含有色情内容',
  20003: '含有辱骂内容',
  20006: '含有违法犯罪内容',
  20008: '含有欺诈内容',
  20012: '含有低俗内容',
  20013: '可能侵犯版权',
};

/**
 * Why a name was refused by the platform's check, as one Chinese line: the server answers it with
 * CONTENT_REFUSED and the mini-program says it from the answer's `details` (field and label).
 */
export function contentRefusal(field: 'nickname' | 'name', label: number): string {
  return `${field === 'nickname' ? '昵称' : '队名'}${REFUSAL_REASONS[label] ?? '含有不合适的内容'}，请换一个`;
}
