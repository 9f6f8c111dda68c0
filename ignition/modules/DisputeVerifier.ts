import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The verifier behind `ModelMarket.claimRefund`.
 *
 * Until the dispute circuit and its Groth16 verifier land (issue #3) this deploys
 * SignalBoundVerifier, a development stand-in whose "proofs" anyone can compute. The deploy
 * script refuses to use it on any chain but the local one.
 */
export default buildModule("DisputeVerifier", (m) => {
  const disputeVerifier = m.contract("SignalBoundVerifier");
  return { disputeVerifier };
});
