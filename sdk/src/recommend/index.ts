/**
 * Private recommendations (issue #16): implicit feedback and the buyer's local profile, matrix
 * factorization (the centralized baseline and the federated client's round, whose contribution
 * holds only clipped, noised item updates), the aggregator's averaging step, the buyer's
 * participation and its privacy ledger, secure aggregation (fixed-point contributions under pairwise masks, so the aggregator
 * learns only a round's sum), the Rényi-DP accounting of the noise, and on-device ranking with promoted listings
 * and "why this model". Browser-safe: nothing here imports a Node built-in.
 */
export {
  recommendForBuyer,
  whyLine,
  withInteractions,
  type BuyerRecommendations,
  type BuyerRecommendationsInput,
  type ColdStartReason,
} from "./buyerRecommendations.ts";
export {
  epsilonSpent,
  keptRounds,
  memoryLedger,
  monthOf,
  PARTICIPATION,
  participationContribution,
  PrivacyBudgetExhausted,
  takePartInRound,
  type ParticipationLedger,
  type ParticipationReceipt,
  type ParticipationRound,
  type PrivacySpent,
} from "./participation.ts";
export { fetchItemFactors } from "./aggregatorClient.ts";
export { AGGREGATOR_TIMEOUT_MS, AggregatorError, type AggregatorRequestOptions } from "./aggregatorRequest.ts";
export { aggregatorAnswerText } from "./aggregatorAnswer.ts";
export { applyUpdateSum, contributionLength, type AggregationOptions } from "./aggregateUpdates.ts";
export { trainCentralized, type CentralizedModel, type CentralizedTrainingOptions } from "./centralizedTrainer.ts";
export { FACTORS_BODY_MAX_BYTES, factorsBody, MAX_FACTOR_VALUES, parseFactorsBody, type FactorsBody, type PublishedFactors } from "./factorsWire.ts";
export { federatedClientStep, type FederatedClientOptions, type FederatedClientStep } from "./federatedClient.ts";
export { CLIENT_ID_PATTERN, CLIENT_ID_RULE, randomClientId } from "./clientId.ts";
export { addInRing, decodeFixedPointSum, encodeFixedPoint, FIXED_POINT_CLAMP, FIXED_POINT_FRACTION_BITS, MAX_SECURE_PARTICIPANTS } from "./fixedPoint.ts";
export { DEFAULT_CONFIDENCE_SCALE, FEEDBACK_WEIGHTS, itemConfidences, type Interaction, type InteractionKind } from "./feedback.ts";
export { itemGram, itemVector, randomItemFactors, type ItemFactors } from "./itemFactors.ts";
export { MARKET_FACTORS, marketItemFactors, publicItemFactors } from "./marketItemFactors.ts";
export { interactionsFromMarketEvents, itemIdOfListing, listingIdOfItem, publicSignalsFromMarketEvents } from "./marketInteractions.ts";
export {
  compareIds,
  maskContribution,
  pairMask,
  pairSeed,
  secureRoundKeyPair,
  type MaskingClient,
  type RosterMember,
  type SecureRoundKeyPair,
} from "./pairwiseMasks.ts";
export { privatizeUpdates, type GaussianMechanism, type NoisedItemUpdates } from "./noisedUpload.ts";
export {
  calibrateNoise,
  DEFAULT_ORDERS,
  gaussianEpsilon,
  gaussianRdp,
  rdpToEpsilon,
  subsampledGaussianRdp,
  type PrivacyParameters,
} from "./privacyAccounting.ts";
export { PURCHASE_SIGNAL_WEIGHT, publicSignalScore, type PublicSignals } from "./publicSignals.ts";
export { cryptoRandom, normalDraw, seededRandom, type RandomSource } from "./randomSource.ts";
export { rankListings, type RankedListing, type RankingSource, type RankListingsParameters } from "./rankListings.ts";
export {
  DEFAULT_MIN_PARTICIPANTS,
  RosterRefusedError,
  SECURE_ROUND_WAIT_MS,
  takePartInSecureRound,
  type SecureContribution,
  type SecureRoundOptions,
  type SecureRoundReceipt,
} from "./secureRoundClient.ts";
export {
  enrolmentBody,
  maskedUploadBody,
  parseEnrolmentBody,
  parseEnrolmentStatus,
  parseMaskedUploadBody,
  parseRosterBody,
  rosterBody,
  SecureRoundFormatError,
  type EnrolmentBody,
  type EnrolmentStatus,
  type MaskedUpload,
  type MaskedUploadBody,
  type Roster,
  type RosterBody,
} from "./secureRoundWire.ts";
export { DEFAULT_REGULARIZATION, fitUserFactor } from "./userFactor.ts";
export { emptyProfile, profileFromJson, profileToJson, recordInteraction, withFactor, type UserProfile } from "./userProfile.ts";
export { whyThisModel } from "./whyThisModel.ts";
