/** What people read: one label per state and kind of the market, and amounts in ETH with their unit. */
export { STATE_LABELS, auctionKindLabel, auctionPhaseLabel, stateLabel, stateLabelOfCode, type StateEnum, type StateMember } from "./stateLabels.ts";
export { etherFromText, etherText, notEtherSentence } from "./etherText.ts";
export { byteText } from "./byteText.ts";
export { durationText } from "./durationText.ts";
export { formatDeadline, formatTime } from "./deadlineText.ts";
