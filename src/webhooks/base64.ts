/**
 * Standard base64 (RFC 4648 §4, `+/`, padding optional) without Node's `Buffer`, so the webhook code
 * runs unchanged in Workers, Deno, Bun and browsers. `atob` alone is too forgiving (it skips spaces and
 * ignores the unused low bits of the last character), so only the canonical spelling of each byte string
 * is accepted, as the reference libraries' string comparison does: the bytes must encode back to `text`.
 */

/** Decode standard base64; `undefined` when `text` is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  // Re-encoding leaves out any space, bad padding or stray low bit that atob let through.
  if (btoa(binary).replace(/=+$/, '') !== text.replace(/=+$/, '')) return undefined;
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Encode bytes as padded standard base64, any number of them (the fake server's files). */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
