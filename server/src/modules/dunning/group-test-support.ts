import {
  groupOfActions,
  outcomesOfGroup,
  type DunningActionContext,
  type DunningActionOutcome,
  type DunningGroupAction,
  type DunningStepGroup,
  type GroupStepExecutor,
} from './step-registry';

/**
 * For tests of group executors: hands actions over as a run would — one group per run, customer and step, in the
 * actions' order —
 * and answers each action's outcome, in the order the actions were given.
 */
export async function runAsGroups(
  executor: GroupStepExecutor,
  contexts: readonly DunningActionContext[],
): Promise<DunningActionOutcome[]> {
  type Collected = {
    shared: Omit<DunningStepGroup, 'first' | 'invoiceIds' | 'actions'>;
    actions: DunningGroupAction[];
  };
  const collected: Collected[] = [];
  const byCustomer = new Map<string, Collected>();
  const place: { group: number; index: number }[] = [];
  for (const context of contexts) {
    const { actionId, invoice, ...shared } = context;
    const key = `${context.runId}|${context.customer.id}|${context.step.kind}|${context.step.offsetDays}`;
    let group = byCustomer.get(key);
    if (!group) {
      group = { shared, actions: [] };
      byCustomer.set(key, group);
      collected.push(group);
    }
    place.push({ group: collected.indexOf(group), index: group.actions.length });
    group.actions.push({ actionId, invoice });
  }
  const groups = collected.map((group) => groupOfActions(group.shared, group.actions));
  const answers = await executor(groups);
  const outcomes = answers.map((answer, index) =>
    outcomesOfGroup(answer, groups[index]?.actions.length ?? 0),
  );
  return place.map(({ group, index }) => {
    const outcome = outcomes[group]?.[index];
    if (!outcome) throw new Error('the group executor answered too few outcomes');
    return outcome;
  });
}
