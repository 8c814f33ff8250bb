import { describe, expect, it } from 'vitest';
import { memberLayout } from './execute-actions';
import type { PlannedAction } from './run-context';

type Item = PlannedAction['item'];

function item(number: string): Item {
  return { invoiceId: `id-${number}`, invoiceNumber: number } as Item;
}

function action(of: Item, step: string, chasedMinor = 100n): PlannedAction {
  return { item: of, step: { id: step }, chasedMinor } as PlannedAction;
}

/** What a group's row reads: its slice of the flat list. */
function slices(layout: ReturnType<typeof memberLayout>): PlannedAction[][] {
  return layout.lo.map((lo, index) => layout.members.slice(lo - 1, layout.hi[index]));
}

describe('the layout of group members in the groups INSERT', () => {
  it('lists each item once and points consecutive groups into that list', () => {
    const [a, b, c] = [item('A'), item('B'), item('C')];
    // A and B are old enough for a visit and a 律师函; C only for a visit.
    const planned = [
      action(a, 'visit'),
      action(a, 'lawyer'),
      action(b, 'visit'),
      action(b, 'lawyer'),
      action(c, 'visit'),
    ];
    const visits = { members: [planned[0]!, planned[2]!, planned[4]!] };
    const letters = { members: [planned[1]!, planned[3]!] };
    const layout = memberLayout(planned, [visits, letters]);
    expect(layout.members.map((member) => member.item)).toEqual([a, b, c]);
    expect(layout).toMatchObject({ lo: [1, 1], hi: [3, 2] });
    expect(slices(layout).map((slice) => slice.map((member) => member.item))).toEqual([
      [a, b, c],
      [a, b],
    ]);
  });

  it('copies the members of a group that skips an item, or whose amount differs, after the list', () => {
    const [a, b, c] = [item('A'), item('B'), item('C')];
    const planned = [action(a, 'visit'), action(b, 'visit'), action(c, 'visit'), action(c, 'hold')];
    const skipping = { members: [planned[0]!, planned[2]!] };
    const otherAmount = { members: [action(c, 'hold', 50n)] };
    const whole = { members: planned.slice(0, 3) };
    const layout = memberLayout(planned, [skipping, otherAmount, whole]);
    expect(layout.members).toHaveLength(3 + 2 + 1);
    expect(layout).toMatchObject({ lo: [4, 6, 1], hi: [5, 6, 3] });
    const read = slices(layout);
    expect(read[0]!.map((member) => member.item)).toEqual([a, c]);
    expect(read[1]!.map((member) => member.chasedMinor)).toEqual([50n]);
    expect(read[2]!.map((member) => member.item)).toEqual([a, b, c]);
  });
});
