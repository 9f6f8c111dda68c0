/** Sealed-bid commitments, as `SealedBidAuctions.bidCommitment` computes them. */
import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

/** `keccak256(abi.encode(uint96 amount, bytes32 salt, address bidder, uint256 auctionId))`. */
export function bidCommitment(amount: bigint, salt: Hex, bidder: Address, auctionId: bigint): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint96" }, { type: "bytes32" }, { type: "address" }, { type: "uint256" }],
      [amount, salt, bidder, auctionId],
    ),
  );
}
