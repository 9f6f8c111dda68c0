/**
 * The timers that drive a RoundBook: while a round enrols, the enrolment timer closes its roster
 * every `enrolmentMs` once at least minParticipants enrolled; once the roster closed, the
 * collection timer aborts the round if not every member uploaded within `collectMs`. It logs
 * nothing (an abort reveals no mask and needs no record).
 */
import type { RoundBook } from "./roundBook.ts";

export interface RoundClock {
  stop(): void;
}

export function startRoundClock(book: RoundBook, enrolmentMs: number, collectMs: number): RoundClock {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = undefined;
    const { round } = book.published;
    if (book.state === "collecting") timer = setTimeout(() => book.abort(round), collectMs);
    else if (enrolmentMs > 0) timer = setTimeout(() => book.closeEnrolment() || arm(), enrolmentMs);
  };
  book.events.on("change", arm);
  arm();
  return {
    stop() {
      book.events.off("change", arm);
      clearTimeout(timer);
    },
  };
}
