/**
 * The client side of `scan`: --clients (simulate the selected client profiles
 * against the scanned server) and --require (policy check). Kept apart from
 * scan.ts so that scan.ts only parses the flags early and calls these.
 */
import { CLIENT_PROFILES, parseClientSelection, type ClientProfile } from '../../registry/clients/index.js';
import { simulateClients, toClientResults } from '../../scan/simulate.js';
import { evaluatePolicy, parsePolicy, type Policy } from '../../assess/policy.js';
import { renderClientTable, renderPolicy, type PolicyReport } from '../../report/clients.js';
import { sendHello } from '../../net/probe.js';
import { pemToDers } from '../../x509/cert.js';
import type { ScanResult } from '../../scan/types.js';

export interface ClientFlags { clients?: string; require?: string }

export interface ClientPlan { profiles: ClientProfile[] | null; policy: Policy | null }

/** Parses --clients and --require before any network work (bad input: UsageError, exit 2). */
export function planClientChecks(flags: ClientFlags): ClientPlan {
  return {
    profiles: flags.clients !== undefined ? parseClientSelection(flags.clients) : null,
    policy: flags.require !== undefined ? parsePolicy(flags.require) : null,
  };
}

export interface ClientCheckOutput {
  /** Text blocks for the terminal report. */
  text: string[];
  /** The policy was given and the server does not meet it (exit 1). */
  policyFailed: boolean;
}

/** Runs the planned checks on a finished scan; sets result.clients and result.policy. */
export async function runClientChecks(result: ScanResult, plan: ClientPlan, o: { timeoutMs: number; color: boolean }): Promise<ClientCheckOutput> {
  const text: string[] = [];
  let policyFailed = false;
  if (!plan.profiles && !plan.policy) return { text, policyFailed };
  const reachable = result.target.address !== null && result.protocols.some((p) => p.supported);
  if (plan.profiles && reachable) {
    const chain = result.certificates.flatMap((c) => pemToDers(c.pem)).map((b) => new Uint8Array(b));
    const ep = { host: result.target.host, port: result.target.port, address: result.target.address!, sni: result.target.sni };
    const sims = await simulateClients(ep, plan.profiles, sendHello, { timeoutMs: o.timeoutMs, chain });
    result.clients = toClientResults(sims);
    text.push(renderClientTable(result.clients, { color: o.color }));
  }
  if (plan.policy) {
    const ev = evaluatePolicy(result, plan.policy, plan.profiles ?? CLIENT_PROFILES);
    const report: PolicyReport = { require: plan.policy.text, meets: ev.meets, violations: ev.violations, cutOff: ev.cutOffReasons };
    result.policy = { require: report.require, meets: ev.meets, violations: ev.violations, clientsCutOff: ev.clientsCutOff };
    policyFailed = !ev.meets;
    text.push(renderPolicy(report, { color: o.color }));
  }
  return { text, policyFailed };
}
