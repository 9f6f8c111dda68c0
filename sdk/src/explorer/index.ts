/**
 * The explorer's public surface (the dApp's #/explorer, #/tx, #/address and #/debug pages):
 * every event of the registry and the market decoded by its ABI and grouped into timelines
 * per listing, test-drive, dispute, auction and purchase; one account's activity; one
 * transaction decoded; ABI values read and typed by people.
 */
export { loadExplorer, type ExplorerIndex, type LoadExplorerParameters } from "./loadExplorer.ts";
export { ENTITY_KINDS, chainOrder, entityKey, explorerEntry, type ContractName, type EntityKind, type EntityRef, type ExplorerEntry } from "./explorerEntry.ts";
export { buildEntityTimelines, timelinesOfKind, type EntityTimeline } from "./entityTimelines.ts";
export { addressActivity, involves, type AddressActivity } from "./addressActivity.ts";
export { contractAt, decodeCall, readTransaction, type DecodedCall, type RawLog, type TransactionView } from "./readTransaction.ts";
export { AbiInputError, ENTITY_ID_PARAMETERS, isAmountParameter, parseAbiInput, readableValue, type ReadableValue } from "./abiValues.ts";
export { ENUM_LABELS, enumLabel } from "./enumLabels.ts";
export { listingRecords, sellerHistory, type ListingRecord, type SellerHistory } from "./sellerHistory.ts";
