/** The buy page's route for a listing at the price shown to the buyer (and a test-drive's deposit): the model page links to it without loading the buy page. */
export function buyRoute(listingId: bigint, price: bigint, testId = 0n): string {
  return `/buy/${listingId}?price=${price}${testId === 0n ? "" : `&test=${testId}`}`;
}
