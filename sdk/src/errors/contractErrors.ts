/**
 * Turns a reverted call into a sentence: decodes the custom error of the registry, the market or
 * its refund disputes (viem's ContractFunctionRevertedError) and phrases it for a person, keeping the
 * error's name and arguments for programs. Unknown errors fall back to viem's short message.
 */
import { BaseError, ContractFunctionRevertedError } from "viem";
import { etherText } from "../labels/etherText.ts";
import { stateLabelOfCode, type StateEnum } from "../labels/stateLabels.ts";

export interface DecodedRevert {
  /** The custom error's name, e.g. "TestDrivesWrongPhase", or undefined when not a custom error. */
  readonly name?: string;
  readonly args: readonly unknown[];
  /** One sentence for a person. */
  readonly sentence: string;
}

/** A status the contract reverted with, in the words `bazaar status` and the dApp use (sdk/src/labels/stateLabels.ts). */
const status = (enumName: StateEnum, code: unknown): string => `status is "${stateLabelOfCode(enumName, Number(code)) ?? `unknown (${String(code)})`}"`;

/** Sentences for the custom errors a user is likely to meet; others are named with their arguments. */
const SENTENCES: Readonly<Record<string, (args: readonly unknown[]) => string>> = {
  ModelRegistryUnknownListing: ([id]) => `listing ${String(id)} does not exist`,
  ModelRegistryInvalidStatus: ([id, current]) => `listing ${String(id)}'s ${status("ListingStatus", current)}, which does not allow this`,
  ModelRegistryUnauthorizedSeller: ([id, account]) => `${String(account)} is not the seller of listing ${String(id)}: only its seller may change it`,
  ModelRegistryEmptyModel: () => "the model file is empty (a zero model root or size)",
  ModelRegistryInvalidClaim: ([bps]) => `a claimed accuracy must be 1 to 10000 basis points, not ${String(bps)}`,
  ModelRegistryInvalidTask: () => "the task is unusable: it needs at least one feature, two classes, featureBits of 1 to 32 and scaleBits no larger than featureBits",
  ModelRegistryInvalidSampleBounds: ([min, max]) => `test sets of ${String(min)} to ${String(max)} samples are not allowed: the bounds must satisfy 1 <= minSamples <= maxSamples <= 65535`,
  ModelRegistryInvalidWindow: ([window]) => `a service or dispute window of ${String(window)} s is not allowed: it must last 1 second to 30 days`,
  ModelRegistryZeroDeposit: () => "the test-drive deposit must be more than 0",
  ModelRegistryFeeTooLarge: () => "the largest test-drive's fees exceed what the registry can hold (2^96 - 1 wei): lower the fee per extra sample",
  ModelRegistryInvalidDisputePolicy: () => "the dispute policy is unusable (a contestable listing needs a plan commitment, both bonds, a tolerance, 32 to 1,024 samples and features of at most 16 bits)",
  ModelRegistryZeroPrice: () => "a fixed-price listing must cost more than 0 ETH",
  ModelRegistryInvalidWorkerSigner: () => "the worker signer must not be the zero address",
  ModelRegistryZeroPromotion: () => "a promotion must pay something",
  ModelRegistryNothingToWithdraw: () => "there are no promotion fees to withdraw (or the recipient is the zero address)",
  TestDrivesNotDisputable: ([samples, max]) => `no dispute circuit can prove a test-drive of ${String(samples)} samples (at most ${String(max)}), so it cannot be opened`,
  MarketLedgerNothingOwed: ([account]) => `nothing is owed to ${String(account)}`,
  TestDrivesUnknownTest: ([id]) => `test-drive ${String(id)} does not exist`,
  TestDrivesInvalidStatus: ([id, current]) => `test-drive ${String(id)}'s ${status("TestStatus", current)}, which does not allow this`,
  TestDrivesListingNotActive: ([id]) => `listing ${String(id)} cannot be test-driven now (paused, delisted or unknown)`,
  TestDrivesSampleCountOutOfRange: ([n, min, max]) => `a test-drive of this listing takes ${String(min)} to ${String(max)} samples, not ${String(n)}`,
  TestDrivesIncorrectPayment: ([sent, required]) => `the test-drive costs ${String(required)} wei (deposit and fee), not ${String(sent)}`,
  TestDrivesInvalidDataCommitment: () => "the data commitment must be a non-zero BN254 field element",
  TestDrivesUnauthorizedWorker: ([id, account]) => `${String(account)} is not the worker signer or seller of test-drive ${String(id)}'s listing`,
  AuctionsUnknownAuction: ([id]) => `auction ${String(id)} does not exist`,
  AuctionsInvalidStatus: ([id, current]) => `auction ${String(id)}'s ${status("AuctionStatus", current)}, which does not allow this`,
  AuctionsNotAuctionable: ([listing, account]) => `listing ${String(listing)} is not an active auction-mode listing of ${String(account)}`,
  AuctionsInvalidParams: () => "an auction's bidding and reveal windows must each last 1 second to 30 days, and its penalty at most 100%",
  AuctionsSellerCannotBid: ([id]) => `the seller may not bid in its own auction ${String(id)}`,
  AuctionsAlreadyBid: ([id, bidder]) => `${String(bidder)} already bid in auction ${String(id)}`,
  AuctionsEmptyBid: () => "a bid needs a commitment and some collateral",
  AuctionsPenaltyNotCovered: ([id, required, sent]) =>
    `a bid in auction ${String(id)} that applies a test-drive's deposit must send at least the penalty it could owe in ether, ${etherText(BigInt(required as bigint))}, not ${etherText(BigInt(sent as bigint))}: lock more collateral`,
  AuctionsNotTestDriver: ([id, bidder]) => `auction ${String(id)} admits only bidders who test-drove the listing, and ${String(bidder)} gave no test-drive of it`,
  AuctionsNoBid: ([id, bidder]) => `${String(bidder)} has no bid in auction ${String(id)}`,
  AuctionsCommitmentMismatch: ([id]) => `the amount and salt do not open your commitment in auction ${String(id)}`,
  AuctionsBidClosed: ([id, bidder]) => `the bid of ${String(bidder)} in auction ${String(id)} was already revealed or released`,
  FairExchangeUnknownPurchase: ([id]) => `purchase ${String(id)} does not exist`,
  FairExchangeInvalidStatus: ([id, current]) => `purchase ${String(id)}'s ${status("PurchaseStatus", current)}, which does not allow this`,
  FairExchangeNotBuyer: ([id, account]) => `${String(account)} is not the buyer of purchase ${String(id)}`,
  FairExchangeNotSeller: ([id, account]) => `${String(account)} is not the seller of purchase ${String(id)}`,
  FairExchangeNotForSale: ([id]) => `listing ${String(id)} is not an active fixed-price listing`,
  FairExchangePriceChanged: ([id, listed, agreed]) =>
    `the seller changed the price of listing ${String(id)} to ${etherText(BigInt(listed as bigint))}; you were shown ${etherText(BigInt(agreed as bigint))}, so the market refused the purchase and nothing was paid`,
  FairExchangeIncorrectPayment: ([sent, required]) => `the purchase costs ${String(required)} wei now (after any test-drive deposit), not ${String(sent)}: the price may have changed`,
  FairExchangeEmptyCommitment: () => "a delivery commitment needs a non-zero ciphertext root and key hash",
  FairExchangeCommitmentMismatch: ([id]) => `the ciphertext root and key do not open the delivery commitment of purchase ${String(id)}`,
  FairExchangeInvalidMerkleProof: ([id]) => `the complaint's Merkle paths do not verify for purchase ${String(id)}`,
  FairExchangeChunkIsCorrect: ([id, index]) => `chunk ${String(index)} of purchase ${String(id)} decrypts correctly: there is nothing to complain about`,
  TestDrivesNotBuyer: ([id, account]) => `${String(account)} is not the buyer of test-drive ${String(id)}`,
  TestDrivesWrongListing: ([id, listing]) => `test-drive ${String(id)} is not a test-drive of listing ${String(listing)}`,
  RefundDisputesNotBuyer: ([id, account]) => `${String(account)} is not the buyer of test-drive ${String(id)}: only the buyer claims and opens its refund`,
  RefundDisputesNotSeller: ([id, account]) => `${String(account)} is neither the seller nor the worker of test-drive ${String(id)}'s listing`,
  RefundDisputesInvalidPhase: ([id, phase]) => `test-drive ${String(id)}'s refund dispute ${status("DisputePhase", phase)} (or its window ended), which does not allow this`,
  RefundDisputesInvalidShortfall: ([s, claim]) => `a shortfall of ${String(s)} bps is not in 1 to the claimed ${String(claim)} bps`,
  RefundDisputesInvalidCommitment: () => "a prediction commitment must be a non-zero BN254 field element, and a secret or its hash non-zero",
  RefundDisputesIncorrectPayment: ([sent, required]) => `this step stakes ${String(required)} wei (bond and fee), not ${String(sent)}`,
  RefundDisputesNotDisputable: ([id, n]) => `no refund circuit proves a test-drive of ${String(n)} samples (test-drive ${String(id)})`,
  RefundDisputesNotContestable: ([id]) => `test-drive ${String(id)}'s listing has no plan a contest circuit proves: its refunds cannot be contested`,
  RefundDisputesInvalidProof: ([id]) => `the proof does not verify for test-drive ${String(id)}'s refund dispute`,
  RefundDisputesWrongSecret: ([id]) => `the challenge secret does not match what the refund claim of test-drive ${String(id)} committed`,
  RefundDisputesMalformedOpening: ([id]) => `the opening of test-drive ${String(id)} does not have the drawn samples' shape (count, indices, predictions, feature bytes or field range)`,
  RefundDisputesUnknownSample: ([id]) => `that sample is not one test-drive ${String(id)}'s buyer opened`,
  RefundDisputesNotClosable: ([id, phase]) => `test-drive ${String(id)}'s refund dispute ${status("DisputePhase", phase)} and its window has not ended: nothing to close yet`,
};

export function decodeRevert(error: unknown): DecodedRevert {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) {
      const name = reverted.data.errorName;
      const args = reverted.data.args ?? [];
      const phrase = SENTENCES[name];
      const sentence = phrase ? phrase(args) : `the contract refused: ${name}(${args.map(String).join(", ")})`;
      return { name, args, sentence };
    }
    return { args: [], sentence: error.shortMessage };
  }
  return { args: [], sentence: error instanceof Error ? error.message : String(error) };
}
