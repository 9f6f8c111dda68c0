/**
 * What the person asking should do next in a purchase (docs/PROTOCOL.md §5.2), as one sentence
 * naming the command and the deadline: the buyer, the seller, or anyone else.
 */
import { formatEther, zeroHash, type Address } from "viem";
import type { PurchaseView } from "@modelbazaar/sdk/actions";
import { formatDeadline } from "@modelbazaar/sdk/labels";

type Role = "buyer" | "seller" | "observer";

function roleOf(view: PurchaseView, caller?: Address): Role {
  const me = caller?.toLowerCase();
  if (me === view.purchase.buyer.toLowerCase()) return "buyer";
  if (me === view.purchase.seller.toLowerCase()) return "seller";
  return "observer";
}

export function purchaseNextStep(view: PurchaseView, caller?: Address): string {
  const role = roleOf(view, caller);
  const id = view.purchaseId;
  const price = `${formatEther(view.purchase.price)} ETH`;
  // A refund pays the buyer its own ether; a deposit in the escrow goes back to its test-drive.
  const refund = `${formatEther(view.refundToBuyer)} ETH refund${view.depositApplied > 0n ? ` (the ${formatEther(view.depositApplied)} ETH deposit goes back to test-drive ${view.purchase.testId}, refundable only by proof)` : ""}`;
  const when = (at: bigint | undefined) => (at === undefined ? "?" : formatDeadline(Number(at), Number(view.now)));
  /** "run `cmd`" for the party itself, "the <party> runs `cmd`" for anyone else. */
  const runs = (party: "buyer" | "seller", command: string) => (role === party ? `run \`${command}\`` : `the ${party} runs \`${command}\``);
  const your = (party: "buyer" | "seller") => (role === party ? "your" : `the ${party}'s`);
  const d = view.deadlines;
  switch (view.status) {
    case "AwaitingDelivery":
      return `waiting for the seller to commit a delivery until ${when(d.delivery)} (${runs("seller", `bazaar deliver ${id} <model.onnx> --out <file>`)}); after that ${runs("buyer", "bazaar withdraw")} to get ${your("buyer")} ${refund}.`;
    case "DeliveryOverdue":
      return `the seller missed the delivery deadline (${when(d.delivery)}): ${runs("buyer", "bazaar withdraw")} to get ${your("buyer")} ${refund}.`;
    case "AwaitingAcceptance":
      return `the seller committed a delivery: ${runs("buyer", `bazaar download ${id} --from <file> --out <model.onnx>`)} to check and accept the encrypted file (or add --reject if it never arrived) before ${when(d.acceptance)}; ${view.purchase.copyRoot === zeroHash ? "silence accepts" : "silence refunds a per-buyer copy"}.`;
    case "AwaitingKey":
      return `waiting for the seller to reveal the key until ${when(d.key)} (${runs("seller", `bazaar deliver ${id} --reveal`)}); after that ${runs("buyer", "bazaar withdraw")} to get ${your("buyer")} ${refund}.`;
    case "KeyOverdue":
      return `the seller missed the key deadline (${when(d.key)}): ${runs("buyer", "bazaar withdraw")} to get ${your("buyer")} ${refund}.`;
    case "ComplaintWindow":
      return `the key is revealed: ${runs("buyer", `bazaar download ${id} --from <file> --out <model.onnx>`)} to decrypt and verify the model (a wrong chunk is complained about and refunded automatically) before ${when(d.complaint)}; after that ${runs("seller", "bazaar withdraw")} to be paid ${price}.`;
    case "Completable":
      return `the complaint window closed ${when(d.complaint)}: ${runs("seller", "bazaar withdraw")} to be paid ${price}.`;
    case "Completed":
      return `completed: the seller was paid ${price}; nothing is left to do.`;
    case "Refunded":
      return `refunded: the buyer got ${formatEther(view.refundToBuyer)} ETH back${view.depositApplied > 0n ? ` and the ${formatEther(view.depositApplied)} ETH deposit went back to test-drive ${view.purchase.testId}` : ""} (collect any credit with \`bazaar withdraw\`); nothing is left to do.`;
    case "None":
      return `purchase ${id} does not exist.`;
  }
}
