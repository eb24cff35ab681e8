/**
 * Standard base64 (RFC 4648 §4, `+/`, padding optional) without Node's `Buffer`, so the webhook code
 * runs unchanged in Workers, Deno, Bun and browsers. `atob` alone is too forgiving (it skips spaces and
 * ignores the unused low bits of the last character), so the alphabet is checked first and only the
 * canonical spelling of each byte string is accepted, as the reference libraries' string comparison does.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** Decode standard base64; `undefined` when `text` is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return btoa(binary).replace(/=+$/, '') === text.replace(/=+$/, '') ? bytes : undefined;
}

/** Encode bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
