/**
 * Reads a fetch answer's body as UTF-8 text, at most `maxBytes` of it: an answer from a place the
 * shop does not control (a tunnel, a cloud) is small when honest, and reading more would cost
 * memory and a long JSON.parse on the counter's one thread. Null when the body was larger (the
 * rest is not read).
 */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}
