import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYBOOK, DELINQUENCY_TYPES, scriptsFor } from './playbooks';

describe('default playbook (seeds 001 and 003)', () => {
  it('has the seven delinquency types, each with a strategy in both languages', () => {
    expect(Object.keys(DEFAULT_PLAYBOOK.types)).toEqual([...DELINQUENCY_TYPES]);
    expect(DELINQUENCY_TYPES.map((type) => DEFAULT_PLAYBOOK.types[type].name.zh)).toEqual([
      '要款不力型',
      '合同纠纷型',
      '货物积压型',
      '经营不佳型',
      '资金周转不佳型',
      '故意拖欠型',
      '客户遇到了意外事故型',
    ]);
    for (const entry of Object.values(DEFAULT_PLAYBOOK.types)) {
      expect(entry.strategy.length).toBeGreaterThan(0);
      expect(entry.strategy.every((line) => line.zh !== '' && line.en !== '')).toBe(true);
    }
  });

  it('has the checklists of seed 001 with their counts: 6, 9, 5, 10 and 3', () => {
    expect(DEFAULT_PLAYBOOK.checklists.map((list) => [list.key, list.items.length])).toEqual([
      ['self_questions', 6],
      ['payment_process', 9],
      ['preparations', 5],
      ['notes', 10],
      ['traps', 3],
    ]);
    expect(DEFAULT_PLAYBOOK.checklists[3]?.items[8]?.zh).toBe('不能收受对方礼物或吃请');
  });

  it('picks the scripts for a type, plus those for every case', () => {
    const keys = (type: Parameters<typeof scriptsFor>[1]) =>
      scriptsFor(DEFAULT_PLAYBOOK, type).map((s) => s.key);
    expect(keys(null)).toEqual(['opening', 'confirm_visit', 'old_friend', 'broken_promise']);
    expect(keys('intentional')).toEqual([
      'opening',
      'confirm_visit',
      'old_friend',
      'boss_away',
      'broken_promise',
      'hostile',
    ]);
  });
});
