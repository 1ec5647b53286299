import { describe, expect, it } from 'vitest';
import { fieldKind, fitField, fitFields } from '../../../src/modules/notifications/template-field-rules.js';

describe('subscribe message fields are cut to the platform limits, not refused', () => {
  it('a thing field keeps 20 characters, the last an ellipsis', () => {
    const name = '双十一超级无敌大力士战队今晚一定要拼成功的团购小组';
    const cut = fitField('thing1', name);
    expect([...cut]).toHaveLength(20);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.startsWith('双十一超级')).toBe(true);
  });

  it('a value within its limit is unchanged', () => {
    expect(fitField('thing2', '拼团成功')).toBe('拼团成功');
    expect(fitField('time3', '2026年11月11日 12:00 ~ 2026年11月12日 12:00')).toBe('2026年11月11日 12:00 ~ 2026年11月12日 12:00');
  });

  it('phrase keeps 5, character_string 32, name 10 Chinese or 20 Latin', () => {
    expect(fitField('phrase4', '拼团已经失败了')).toBe('拼团已经失');
    expect(fitField('character_string7', 'x'.repeat(40))).toHaveLength(32);
    expect([...fitField('name1', '欧阳诸葛司马上官皇甫长孙')]).toHaveLength(10);
    expect(fitField('name1', 'Alexandra Montgomery-Smith')).toHaveLength(20);
  });

  it('counts code points, so an emoji is never split', () => {
    const cut = fitField('thing1', '😀'.repeat(25));
    expect([...cut]).toEqual([...'😀'.repeat(19), '…']);
  });

  it('the key kind is its letters before the number', () => {
    expect(fieldKind('character_string12')).toBe('character_string');
    expect(fitFields({ thing1: 'a'.repeat(21), number2: '3' })).toEqual({ thing1: { value: 'a'.repeat(19) + '…' }, number2: { value: '3' } });
  });
});
