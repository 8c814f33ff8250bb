/**
 * Playbooks (催收手册) shown where the collector works: the seven kinds of delinquency with their counter-strategies
 * (seed 001 第三章二、拖欠欠款的类型及控制对策), the checklists of seed 001 (六个自问, 付款流程九问, 收款前五个准备,
 * 清收欠款十个注意事项, 三个陷阱) and scripts (话术) per situation from seed 003. These are the defaults; each
 * organization may edit its own copy (stored whole, validated by the contract in contracts/casework.ts).
 */

export const DELINQUENCY_TYPES = [
  'weak_collection', // 要款不力型
  'contract_dispute', // 合同纠纷型
  'overstock', // 货物积压型
  'poor_business', // 经营不佳型
  'cash_flow', // 资金周转不佳型
  'intentional', // 故意拖欠型
  'accident', // 客户遇到了意外事故型
] as const;
export type DelinquencyType = (typeof DELINQUENCY_TYPES)[number];

/** A text in both languages the product speaks; the organization edits both. */
export type LocalizedText = { zh: string; en: string };

export type PlaybookTypeEntry = {
  name: LocalizedText;
  /** The approach the type usually calls for (文收 soft / 武收 hard); the worklist may still decide otherwise. */
  approach: 'soft' | 'hard';
  strategy: LocalizedText[];
};

export type PlaybookChecklist = { key: string; title: LocalizedText; items: LocalizedText[] };

export type PlaybookScript = {
  key: string;
  situation: LocalizedText;
  /** The types this script is most useful for; empty = every case. */
  types: DelinquencyType[];
  lines: LocalizedText[];
};

export type Playbook = {
  types: Record<DelinquencyType, PlaybookTypeEntry>;
  checklists: PlaybookChecklist[];
  scripts: PlaybookScript[];
};

const text = (zh: string, en: string): LocalizedText => ({ zh, en });

const DEFAULT_TYPES: Record<DelinquencyType, PlaybookTypeEntry> = {
  weak_collection: {
    name: text('要款不力型', 'Weak collection on our side'),
    approach: 'soft',
    strategy: [
      text(
        '问题在我方：明确回款责任人，把回款纳入绩效考核（回款工作制度化）',
        'The problem is ours: name who is responsible and put collection into their targets',
      ),
      text(
        '到期前提醒、到期即催，采取渐进的收款程序，定期收款',
        'Remind before due, chase on the due date, escalate step by step, collect on a fixed rhythm',
      ),
      text(
        '不要怕催款而失去客户：到期付款，理所当然',
        'Do not fear losing the customer by chasing: paying when due is normal',
      ),
      text(
        '收款前做好六个自问和五个准备，直接找付款责任人',
        'Work through the six self-questions and five preparations; go straight to the person who pays',
      ),
    ],
  },
  contract_dispute: {
    name: text('合同纠纷型', 'Contract dispute'),
    approach: 'soft',
    strategy: [
      text(
        '先弄清造成拖欠的原因：对照合同、验收标准和签收单核实争议',
        'First find the cause: check the dispute against the contract, acceptance criteria and sign-off',
      ),
      text(
        '把争议金额与无争议金额分开：登记争议，无争议部分照常催收',
        'Separate the disputed amount from the rest: record a dispute and keep chasing the undisputed part',
      ),
      text(
        '我方有责的部分走红字冲销审批，尽快了结；无理的部分据理力争',
        'Where we are at fault, raise a credit note through approval quickly; stand firm where we are not',
      ),
      text('能够协商解决的不要动用法律', 'Do not go to law over what can be settled by talking'),
    ],
  },
  overstock: {
    name: text('货物积压型', 'Overstocked goods'),
    approach: 'soft',
    strategy: [
      text(
        '文收：帮助客户促销、调货，以销促收',
        'Soft collection: help the customer sell through (promotions, transfers) so the money comes back',
      ),
      text('回款前暂停新增供货，先收后卖', 'Hold new supply until paid: collect before selling more'),
      text('防备客户以无用产品来抵债务', 'Beware of being paid in goods nobody can use'),
    ],
  },
  poor_business: {
    name: text('经营不佳型', 'Business doing poorly'),
    approach: 'hard',
    strategy: [
      text(
        '尽快收回，能收多少收多少；额小为妙，不再扩大赊销',
        'Collect as much as possible, as soon as possible; keep credit small and do not extend more',
      ),
      text('当机立断，及时中止供货', 'Decide quickly and stop supply in time'),
      text(
        '争取分期付款承诺并严格跟踪，必要时要求担保或抵押',
        'Get a written instalment promise and follow it strictly; ask for security where needed',
      ),
      text(
        '密切关注客户资信动态，必要时申报债权或诉诸法律',
        'Watch the customer’s credit closely; file a claim or sue when needed',
      ),
    ],
  },
  cash_flow: {
    name: text('资金周转不佳型', 'Short of cash'),
    approach: 'soft',
    strategy: [
      text(
        '问清付款流程（九问）：预算、付款发起人、签字人、扎账日期',
        'Ask the nine questions: budget, who starts the payment, who signs, when books close',
      ),
      text('协商可行的分期付款计划，取得书面承诺', 'Agree a realistic instalment plan and get it in writing'),
      text(
        '收款时间至关重要：在客户资金到位时第一时间上门',
        'Timing is everything: be there the day their money arrives',
      ),
      text('采取竞争性收款策略，争取优先付款', 'Compete to be paid first among their suppliers'),
    ],
  },
  intentional: {
    name: text('故意拖欠型', 'Intentional delay'),
    approach: 'hard',
    strategy: [
      text(
        '武收：停止供货、发财务催款函、律师函，必要时诉诸法律',
        'Hard collection: stop supply, send the finance dunning letter and a lawyer’s letter, sue if needed',
      ),
      text('发挥“纏”功，坚持到底，不为诉苦所动', 'Be persistent and do not be moved by hard-luck stories'),
      text('切勿立下给客户留下口实的减免字据', 'Never sign any waiver the customer could use against you'),
      text(
        '保留对账函、签收单等证据，为诉讼做准备',
        'Keep balance confirmations and sign-offs as evidence for court',
      ),
    ],
  },
  accident: {
    name: text('客户遇到了意外事故型', 'Customer hit by an accident'),
    approach: 'soft',
    strategy: [
      text('以情动人，表示理解，但不放弃债权', 'Show understanding without giving up the claim'),
      text(
        '了解保险理赔等资金来源和事故处理进展',
        'Find out about insurance and other sources of money, and how the matter is progressing',
      ),
      text(
        '协商还款计划并取得书面承诺，定期跟进',
        'Agree a repayment plan in writing and follow it up regularly',
      ),
    ],
  },
};

const DEFAULT_CHECKLISTS: PlaybookChecklist[] = [
  {
    key: 'self_questions',
    title: text('回款前的六个自问', 'Six questions to ask yourself before collecting'),
    items: [
      text(
        '交易项目是什么（项目名称、规格、数量、金额、时间）',
        'What was sold (project, specification, quantity, amount, date)?',
      ),
      text('项目验收人是谁', 'Who accepts the delivery?'),
      text('验收标准是什么', 'What are the acceptance criteria?'),
      text('付款方式及日期是什么', 'What are the payment method and date?'),
      text('验收方式是什么', 'How is acceptance done?'),
      text('付款责任人是谁', 'Who is responsible for paying?'),
    ],
  },
  {
    key: 'payment_process',
    title: text('关于客户付款流程的九问', 'Nine questions on the customer’s payment process'),
    items: [
      text('催款启动条件是什么', 'What triggers the request for payment?'),
      text('催款金额是多少', 'How much is being asked for?'),
      text('付款企业是否要做预算', 'Does the paying company need a budget for it?'),
      text('谁是财务付款程序发起人', 'Who starts the payment in their finance department?'),
      text('谁是付款认可签字人', 'Who signs off the payment?'),
      text(
        '流程中的关键人物是谁？商务团队中谁负责维护和这些人的关系',
        'Who are the key people in the process, and who on our side looks after them?',
      ),
      text('开发票的要求', 'What are their invoicing requirements?'),
      text(
        '用户扎账日期，用户的开户银行，银行扎账日期，银行转账周期',
        'When do their books close, which bank do they use, when does the bank close, how long do transfers take?',
      ),
      text('用户资金情况和信用情况', 'What are their funds and credit like?'),
    ],
  },
  {
    key: 'preparations',
    title: text('收款前的五个准备', 'Five preparations before collecting'),
    items: [
      text('准备齐全发票、签收单等收款凭证', 'Have the invoices, sign-offs and other proofs ready'),
      text(
        '确保账目清楚，定期向客户发出欠款征询函，要求客户盖上印章',
        'Keep the accounts clear: send balance confirmation letters regularly and get them stamped',
      ),
      text(
        '确认客户的关键人员，向关键人物催款',
        'Identify the customer’s key people and ask them for payment',
      ),
      text(
        '预约不到客户时，则以突然袭击的方式来拜访客户，使其无法逃避',
        'If no appointment can be made, visit unannounced so they cannot avoid you',
      ),
      text(
        '联合其他厂家，一起出击客户，使其无力招架',
        'Join forces with other suppliers to press the customer together',
      ),
    ],
  },
  {
    key: 'notes',
    title: text('清收拖欠欠款应注意的10个事项', 'Ten things to watch when collecting overdue debts'),
    items: [
      text('在采取行动前，先弄清造成拖欠的原因', 'Before acting, find out why they are late'),
      text('不要怕催款而失去客户', 'Do not be afraid of losing the customer by chasing'),
      text('当机立断，及时中止供货', 'Decide quickly and stop supply in time'),
      text('收款时间至关重要', 'Timing is crucial'),
      text('采取渐进的收款程序', 'Escalate step by step'),
      text(
        '不能因对方欠款，便有理占三分，拿出一副逼债的姿势',
        'Being owed money does not justify bullying the customer',
      ),
      text('不能用户一诉苦就心软', 'Do not go soft as soon as the customer complains'),
      text('清债人员在催讨欠款时发挥“纏”功', 'Be persistent'),
      text('不能收受对方礼物或吃请', 'Never accept gifts or meals from the customer'),
      text('能够协商解决的不要动用法律', 'Do not go to law over what can be settled by talking'),
    ],
  },
  {
    key: 'traps',
    title: text('回款过程中小心的三个陷阱', 'Three traps to avoid'),
    items: [
      text('切勿立下给客户留下口实的减免字据', 'Never sign a waiver the customer could use against you'),
      text(
        '避免陷入客户纠缠不清的三角债之中',
        'Do not get drawn into the customer’s chains of debt (三角债)',
      ),
      text('防备客户以无用产品来抵债务', 'Beware of being paid in useless goods'),
    ],
  },
];

const DEFAULT_SCRIPTS: PlaybookScript[] = [
  {
    key: 'opening',
    situation: text('开场：直截了当说明来意', 'Opening: say why you are here'),
    types: [],
    lines: [
      text(
        '王总，今天专程来是为了 {invoice} 那笔 {amount} 的货款，到期已经 {days} 天了。',
        'Mr Wang, I am here about the {amount} on {invoice}; it is {days} days past due.',
      ),
      text(
        '为这批货的账期，我在公司费了不少口舌才争取下来，还请您支持一下。',
        'I had to argue hard inside my company to get you these terms; I am counting on your support.',
      ),
    ],
  },
  {
    key: 'confirm_visit',
    situation: text('拜访前 5 天：确认时间和金额', 'Five days before a visit: confirm date and amount'),
    types: [],
    lines: [
      text(
        '您好，我们约好 {date} 上门结算，想跟您再确认一下时间有没有变化。',
        'Hello, we agreed I would come on {date} to settle; is that date still good?',
      ),
      text(
        '这次结算的金额是 {amount}，跟贵司财务的账一致吗？',
        'The amount to settle is {amount}; does that match your finance team’s books?',
      ),
    ],
  },
  {
    key: 'no_money',
    situation: text('客户说“最近资金紧张”（拖）', 'Customer says money is tight (stalling)'),
    types: ['cash_flow', 'poor_business'],
    lines: [
      text(
        '理解您的难处，那我们定个具体的付款计划：这周先付多少，剩下的哪天付？',
        'I understand; let us fix a plan: how much this week, and the rest on which date?',
      ),
      text(
        '贵司资金哪天到位？我那天过来，不耽误您时间。',
        'When does your money come in? I will come that day and not take much of your time.',
      ),
    ],
  },
  {
    key: 'quality_excuse',
    situation: text('客户推说产品有问题（推）', 'Customer blames the product (pushing back)'),
    types: ['contract_dispute'],
    lines: [
      text(
        '问题我记下来马上登记处理，有问题的部分单独算；没有问题的部分请先按合同付款。',
        'I will record the problem now and handle it separately; please pay the undisputed part as the contract says.',
      ),
      text(
        '请把问题的批次、数量和照片发给我，我们三天内给您答复。',
        'Send me the batch, quantity and photos; you will have our answer within three days.',
      ),
    ],
  },
  {
    key: 'old_friend',
    situation: text('客户拉交情（拉）', 'Customer plays on the relationship'),
    types: [],
    lines: [
      text(
        '正因为是老朋友，才更要按约定办，不然我在公司也没法交代。',
        'Because we are old friends we should keep to what we agreed; otherwise I cannot answer for it at my company.',
      ),
    ],
  },
  {
    key: 'boss_away',
    situation: text('“老板不在”（骗）', '“The boss is out” (dodging)'),
    types: ['intentional'],
    lines: [
      text(
        '没关系，我在这里等他回来；或者请您现在给他打个电话，我跟他说两句。',
        'That is fine, I will wait; or please call him now and let me have a word.',
      ),
    ],
  },
  {
    key: 'broken_promise',
    situation: text('承诺付款未兑现', 'A promise to pay was broken'),
    types: [],
    lines: [
      text(
        '您 {date} 答应付的 {amount} 我们没有收到，请问是哪里出了问题？',
        'We have not received the {amount} you promised for {date}; what went wrong?',
      ),
      text(
        '按公司规定，承诺未兑现的账户会转入下一步催收程序，我不希望走到那一步。',
        'Company rules move accounts with broken promises to the next collection step; I would rather not get there.',
      ),
    ],
  },
  {
    key: 'hostile',
    situation: text('客户态度恶劣：三次制止原则', 'Hostile customer: warn three times'),
    types: ['intentional'],
    lines: [
      text(
        '第一次：请您注意说话的方式，我们是来解决问题的。',
        'First: please mind how you speak; we are here to solve a problem.',
      ),
      text('第二次：我们双方是平等的商业伙伴。', 'Second: we are equal business partners.'),
      text(
        '第三次：如果拒不配合，公司将采取其他方式（催款函、律师函）处理。',
        'Third: if you will not cooperate, the company will use other means (dunning letter, lawyer’s letter).',
      ),
    ],
  },
];

export const DEFAULT_PLAYBOOK: Playbook = {
  types: DEFAULT_TYPES,
  checklists: DEFAULT_CHECKLISTS,
  scripts: DEFAULT_SCRIPTS,
};

/** The scripts for a case of `type` (or every script without a type when the case has none). */
export function scriptsFor(playbook: Playbook, type: DelinquencyType | null): PlaybookScript[] {
  return playbook.scripts.filter(
    (script) => script.types.length === 0 || (type !== null && script.types.includes(type)),
  );
}
