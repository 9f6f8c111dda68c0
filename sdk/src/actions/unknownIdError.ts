/**
 * The error every read action throws when a listing, purchase or test-drive id was never
 * used: a sentence a person understands ("purchase 7 does not exist").
 */
export class UnknownIdError extends Error {
  override readonly name = "UnknownIdError";
  readonly kind: "listing" | "purchase" | "test-drive";
  readonly id: bigint;

  constructor(kind: "listing" | "purchase" | "test-drive", id: bigint) {
    super(`${kind} ${id} does not exist on this market`);
    this.kind = kind;
    this.id = id;
  }
}
