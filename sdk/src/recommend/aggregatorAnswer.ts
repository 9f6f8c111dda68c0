/**
 * The aggregator's answer read as text, but never more than `maxBytes` of it: a hostile server's
 * endless or oversized answer is refused (announced too long: before reading; streamed too
 * long: at the cap, the connection cancelled) with a RangeError saying so.
 */
export async function aggregatorAnswerText(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new RangeError(`the aggregator's answer is larger than ${maxBytes} bytes, the most a client reads`);
  const reader = response.body?.getReader();
  if (!reader) return "";
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await reader.cancel();
    throw tooLarge();
  }
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    received += read.value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(read.value, { stream: true });
  }
  return text + decoder.decode();
}
