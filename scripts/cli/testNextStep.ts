/**
 * What the person asking should do next in a test-drive (docs/PROTOCOL.md §3), as one sentence
 * naming the command and the deadline: the buyer, the listing's seller, or anyone else.
 */
import { formatEther, type Address } from "viem";
import type { TestView } from "@modelbazaar/sdk/actions";
import { formatDeadline } from "@modelbazaar/sdk/labels";

const CLOSED: Readonly<Record<TestView["phase"], string>> = {
  Open: "",
  Evaluated: "",
  Refunded: "closed: the buyer proved the model underperforms its claim and got the deposit back, less the fee of the free samples, which went to the seller",
  Unserved: "closed: the worker never served it, so the buyer got the deposit and the fee back",
  Forfeited: "closed: no dispute came in time, so the deposit went to the seller",
  AppliedToPurchase: "closed: the deposit paid part of a purchase",
  AppliedToBid: "closed: the deposit became the collateral of a sealed bid",
  Disputed: "",
  RefundRejected: "closed: the seller won the refund dispute, so the deposit went to the seller",
};

export function testNextStep(view: TestView, caller?: { address: Address; isSeller: boolean }): string {
  const isBuyer = caller?.address.toLowerCase() === view.test.buyer.toLowerCase();
  const runs = (command: string, party: "buyer" | "seller") =>
    (party === "buyer" ? isBuyer : caller?.isSeller === true) ? `run \`${command}\`` : `the ${party} runs \`${command}\``;
  const deposit = `${formatEther(view.deposit)} ETH`;
  const until = view.deadline === undefined ? "?" : formatDeadline(Number(view.deadline), Number(view.now));
  switch (view.status) {
    case "AwaitingReceipt":
      return `waiting for the seller's worker to evaluate and record its receipt until ${until}; after that ${runs("bazaar withdraw", "buyer")} to get the deposit and the fee back.`;
    case "Unserved":
      return `the worker recorded no receipt in time: ${runs("bazaar withdraw", "buyer")} to get the ${deposit} deposit and the fee back.`;
    case "Evaluated":
      return `evaluated: until ${until} the buyer may prove the model underperforms (\`bazaar dispute ${view.testId}\`) or apply the ${deposit} deposit to a purchase (\`bazaar buy ${view.test.listingId} --test ${view.testId}\`); after that the deposit goes to the seller.`;
    case "Forfeitable":
      return `the dispute window is over: ${runs("bazaar withdraw", "seller")} to collect the ${deposit} deposit.`;
    case "Disputed":
      return `a refund is claimed and its dispute is under way (docs/DISPUTES.md §7): the ${deposit} deposit is held until the dispute is settled.`;
    case "Closed":
      return `${CLOSED[view.phase]}; nothing is left to do.`;
    case "None":
      return `test-drive ${view.testId} does not exist.`;
  }
}
