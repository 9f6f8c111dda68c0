/**
 * One vocabulary (issue #11 item 8): the CLI and the dApp name every state and auction kind
 * from the same SDK module (sdk/src/labels/stateLabels.ts). For each state of a test-drive, a
 * purchase and an auction, the words `bazaar status` prints are the words of the dApp's status
 * badge and of the explorer's decoded enums; the labels cover exactly the contracts' enum
 * members (which test/sdk/explorer.test.ts checks against contracts/interfaces/). No chain needed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, zeroAddress } from "viem";
import { statusBadge } from "../../app/src/statusBadge.ts";
import { type AuctionView, PURCHASE_STATUSES, type PurchaseView, TEST_PHASES, TEST_STATUSES, type TestView } from "@modelbazaar/sdk/actions";
import { auctionPhaseOf } from "@modelbazaar/sdk/auctions";
import { ENUM_LABELS, enumLabel } from "@modelbazaar/sdk/explorer";
import { STATE_LABELS, type StateEnum } from "@modelbazaar/sdk/labels";
import { auctionStatusText, purchaseStatusText, testStatusText } from "../../scripts/cli/statusText.ts";

const PRICE = parseEther("0.5");

const testView = (code: number, phase: (typeof TEST_PHASES)[number]): TestView =>
  ({ testId: 1n, test: { listingId: 1, sampleCount: 30, buyer: zeroAddress }, status: TEST_STATUSES[code]!, phase, deposit: parseEther("0.1"), now: 0n }) as unknown as TestView;

const purchaseView = (code: number): PurchaseView =>
  ({ purchaseId: 1n, purchase: { listingId: 1n, price: PRICE, buyer: zeroAddress, seller: zeroAddress }, status: PURCHASE_STATUSES[code]!, deadlines: { delivery: 0n }, now: 0n }) as unknown as PurchaseView;

const auctionView = (code: number): AuctionView =>
  ({ auctionId: 1n, listingId: 1n, seller: zeroAddress, kind: "second-price", phase: auctionPhaseOf(code)!, reservePrice: PRICE, onlyTestDrivers: false, nonRevealPenaltyBps: 1_000, commitEnd: 0, revealEnd: 0, now: 0, bidCount: 0, revealedCount: 0, reveals: [], highestAmount: 0n, clearingPrice: 0n, unreleased: [] }) as AuctionView;

/** The state word of a `bazaar status` text: after "<entity> of listing 1: " up to " (", or the auction's phase line. */
const cliWord = (text: string): string => /: (.+?) \(/.exec(text.split("\n")[0]!)?.[1] ?? "";
const phaseWord = (text: string): string => /^ {2}phase: +(.+)$/m.exec(text)?.[1] ?? "";

/** The explorer's label of value `code` of the contracts' enum `enumName`. */
function explorerWord(enumName: StateEnum, code: number): string | undefined {
  const internalType = Object.keys(ENUM_LABELS).find((type) => type.endsWith(`.${enumName}`));
  return enumLabel(internalType, code);
}

describe("one vocabulary for the CLI and the dApp", () => {
  it("labels every member of every enum of the contracts, in declaration order", () => {
    for (const [internalType, members] of Object.entries(ENUM_LABELS)) {
      const enumName = internalType.split(".").pop() as StateEnum;
      assert.ok(enumName in STATE_LABELS, `${enumName} has no labels in sdk/src/labels/stateLabels.ts`);
      assert.deepEqual(Object.keys(STATE_LABELS[enumName]), members, enumName);
    }
    for (const labels of Object.values(STATE_LABELS)) assert.equal(new Set(Object.values(labels)).size, Object.values(labels).length, "two members of one enum share a label");
  });

  it("bazaar status test prints the words of the dApp's badge for every test-drive status", () => {
    for (let code = 1; code < TEST_STATUSES.length; ++code) {
      const text = testStatusText(testView(code, "Evaluated"), "-");
      const badge = statusBadge("TestStatus", code).text;
      assert.ok(cliWord(text).startsWith(badge), `${TEST_STATUSES[code]}: CLI "${cliWord(text)}", dApp "${badge}"`);
      assert.equal(explorerWord("TestStatus", code), badge);
    }
    for (let code = 0; code < TEST_PHASES.length; ++code) {
      const text = testStatusText(testView(5, TEST_PHASES[code]!), "-");
      assert.equal(cliWord(text), `closed: ${statusBadge("TestPhase", code).text}`, TEST_PHASES[code]);
    }
  });

  it("bazaar status purchase prints the words of the dApp's badge for every purchase status", () => {
    for (let code = 1; code < PURCHASE_STATUSES.length; ++code) {
      const word = cliWord(purchaseStatusText(purchaseView(code), "-"));
      assert.equal(word, statusBadge("PurchaseStatus", code).text, PURCHASE_STATUSES[code]);
      assert.equal(explorerWord("PurchaseStatus", code), word);
    }
    assert.equal(cliWord(purchaseStatusText(purchaseView(6), "-")), "key revealed", "ComplaintWindow and the audit's KeyRevealed are one state");
  });

  it("bazaar status auction prints the words of the dApp's badge for every auction phase, and one name per kind", () => {
    for (let code = 1; code <= 4; ++code) {
      const text = auctionStatusText(auctionView(code), "-");
      assert.equal(phaseWord(text), statusBadge("AuctionStatus", code).text);
      assert.equal(explorerWord("AuctionStatus", code), phaseWord(text));
    }
    const text = auctionStatusText(auctionView(1), "-");
    assert.match(text, /^auction 1 of listing 1 by 0x0{40}: second-price, reserve 0\.5 ETH/);
    assert.equal(explorerWord("AuctionKind", 1), "second-price");
  });

  it("prints amounts in ETH with the unit, never in wei", () => {
    assert.match(purchaseStatusText(purchaseView(1), "-"), /\(0\.5 ETH, buyer /);
    assert.match(testStatusText(testView(1, "Open"), "-"), /deposit 0\.1 ETH, buyer /);
    for (const text of [purchaseStatusText(purchaseView(1), "-"), testStatusText(testView(1, "Open"), "-"), auctionStatusText(auctionView(3), "-")]) assert.doesNotMatch(text, /\b\d{7,}\b/);
  });
});
