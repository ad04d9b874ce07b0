/** What a simulated PBX is made of: its queues (queues.conf) and its agents (static members). */

export type QueueStrategy = 'linear' | 'rrmemory' | 'leastrecent' | 'fewestcalls' | 'random';

export interface QueueConfig {
  readonly name: string;
  readonly strategy: QueueStrategy;
  /** queues.conf `timeout`: how long a member rings before app_queue gives up on it. */
  readonly memberTimeoutSec: number;
  /** queues.conf `retry`: pause before ringing the next member after a ring-no-answer. */
  readonly retrySec: number;
  /** The Queue() application's timeout argument (the caller's maximum wait). */
  readonly timeoutSec: number;
  readonly serviceLevelSec: number;
  readonly weight: number;
  readonly wrapupSec: number;
  /** leavewhenempty: a waiting caller leaves (EXITEMPTY) when no member is available or in a call. */
  readonly leaveWhenEmpty: boolean;
  /** queues.conf `context`: a digit pressed while waiting sends the caller there (EXITWITHKEY). */
  readonly exitContext: string;
  readonly musicClass: string;
  /** Share of the tenant's inbound calls that arrive at this queue. */
  readonly share: number;
}

export interface AgentConfig {
  readonly ext: string;
  /** MemberName, `Agent 101`. */
  readonly name: string;
  readonly queues: readonly string[];
  readonly penalty: number;
  /** `static` (queues.conf member =, the fixtures' kind) or `dynamic` (as if added with QueueAdd). */
  readonly membership?: 'static' | 'dynamic';
}

export function defaultQueue(name: string, overrides: Partial<QueueConfig> = {}): QueueConfig {
  return {
    name,
    strategy: 'linear',
    memberTimeoutSec: 5,
    retrySec: 5,
    timeoutSec: 120,
    serviceLevelSec: 20,
    weight: 0,
    wrapupSec: 0,
    leaveWhenEmpty: false,
    exitContext: 'queue-exit',
    musicClass: 'default',
    share: 1,
    ...overrides,
  };
}

/**
 * The default layout for `--agents N`: queues `support` (70 % of calls) and `sales` (30 %), the first 60 % of the
 * agents in support, the rest in sales, every fourth support agent in sales as well. Extensions from 101.
 */
export function defaultLayout(
  agentCount: number,
  membership: 'static' | 'dynamic' = 'static',
): { queues: QueueConfig[]; agents: AgentConfig[] } {
  const queues = [
    defaultQueue('support', { share: 0.7, timeoutSec: 120 }),
    defaultQueue('sales', { share: 0.3, timeoutSec: 60, strategy: 'rrmemory', leaveWhenEmpty: true }),
  ];
  const supportCount = agentCount <= 1 ? agentCount : Math.max(1, Math.ceil(agentCount * 0.6));
  const agents: AgentConfig[] = [];
  for (let i = 0; i < agentCount; i++) {
    const ext = String(101 + i);
    const inSupport = i < supportCount;
    const memberOf = inSupport ? (i % 4 === 3 ? ['support', 'sales'] : ['support']) : ['sales'];
    agents.push({ ext, name: `Agent ${ext}`, queues: memberOf, penalty: 0, membership });
  }
  if (agentCount === 1) agents[0] = { ...agents[0]!, queues: ['support', 'sales'] };
  return { queues, agents };
}
