/**
 * The CLI's text output carries what others wrote (a seller's model card, an aggregator's or a
 * worker's error message): a control character is shown as `\xNN`, so an escape sequence in it
 * cannot rewrite the user's terminal; newlines and tabs stay, and --json output is unchanged
 * (JSON escapes control characters itself).
 */
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { CliError, reportFailure } from "../../scripts/cli/cliError.ts";
import { printResult, terminalSafe } from "../../scripts/cli/output.ts";

const HOSTILE = "refused\u001b[2J\u001b]0;owned\u0007\rdone\u009b31m";

describe("bazaar's text output and failures are terminal-safe", () => {
  it("writes control characters as \\xNN, keeping newlines and tabs", () => {
    assert.equal(terminalSafe(HOSTILE), "refused\\x1b[2J\\x1b]0;owned\\x07\\x0ddone\\x9b31m");
    assert.equal(terminalSafe("a\tb\nc"), "a\tb\nc");
  });

  it("prints results and failures through it, and leaves --json to JSON's own escaping", () => {
    const log = mock.method(console, "log", () => undefined);
    const error = mock.method(console, "error", () => undefined);
    try {
      printResult({}, { message: HOSTILE }, () => `aggregator said: ${HOSTILE}`);
      printResult({ json: true }, { message: HOSTILE }, () => "");
      assert.equal(reportFailure(new CliError(`the aggregator refused the upload: ${HOSTILE}`, 3)), 3);
      assert.equal(log.mock.calls[0]!.arguments[0], `aggregator said: ${terminalSafe(HOSTILE)}`);
      assert.equal(JSON.parse(log.mock.calls[1]!.arguments[0] as string).message, HOSTILE);
      assert.ok(!(log.mock.calls[1]!.arguments[0] as string).includes("\u001b"), "JSON escapes the escape");
      assert.equal(error.mock.calls[0]!.arguments[0], `bazaar: the aggregator refused the upload: ${terminalSafe(HOSTILE)}`);
    } finally {
      log.mock.restore();
      error.mock.restore();
    }
  });
});
