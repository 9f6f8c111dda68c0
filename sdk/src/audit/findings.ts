/**
 * What `bazaar audit` says: a list of named findings, one per rule checked on one subject
 * ("test 3", "auction 1", "market"), each holding or failing with a sentence, and the summary
 * line the CLI and the demo print. Amounts in a sentence are ETH with their unit.
 */
import { etherText } from "../labels/etherText.ts";

/** One rule checked on one subject. */
export interface AuditFinding {
  /** The rule, e.g. "dispute.proof", "auction.winner", "funds.conserved". */
  readonly check: string;
  /** What it was checked on, e.g. "test 3", "auction 1", "market". */
  readonly subject: string;
  readonly ok: boolean;
  /** What was found, in a sentence. */
  readonly detail: string;
}

export function finding(check: string, subject: string, ok: boolean, detail: string): AuditFinding {
  return { check, subject, ok, detail };
}

/** A finding that holds when `expected === actual`, naming both values otherwise. */
export function equalFinding<T>(check: string, subject: string, what: string, expected: T, actual: T, show: (value: T) => string = String): AuditFinding {
  const ok = expected === actual;
  return finding(check, subject, ok, ok ? `${what} is ${show(actual)}` : `${what} is ${show(actual)}, the rules give ${show(expected)}`);
}

/** `equalFinding` for amounts of wei, written in ETH. */
export const amountFinding = (check: string, subject: string, what: string, expected: bigint, actual: bigint): AuditFinding => equalFinding(check, subject, what, expected, actual, etherText);

/** The failing findings. */
export function failures(findings: readonly AuditFinding[]): AuditFinding[] {
  return findings.filter((f) => !f.ok);
}

/** "N checks, all held" or "K of N checks failed". */
export function summaryLine(findings: readonly AuditFinding[]): string {
  const failed = failures(findings).length;
  return failed === 0 ? `${findings.length} checks, all held` : `${failed} of ${findings.length} checks failed`;
}
