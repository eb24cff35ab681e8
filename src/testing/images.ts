/**
 * Tiny but valid 1×1 images the image models "generate", so a downloaded output decodes as what its
 * extension and `Content-Type` say.
 */

const IMAGES = {
  png: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  webp: 'UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=',
  jpg: '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
} as const;

/** Image formats the fake can produce. */
export type ImageFormat = keyof typeof IMAGES;

const TYPES: Record<ImageFormat, string> = { png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg' };

/** The bytes and MIME type of a 1×1 image; unknown formats fall back to webp (Replicate's usual default). */
export function tinyImage(format: string): {
  bytes: Uint8Array;
  contentType: string;
  extension: ImageFormat;
} {
  const extension: ImageFormat =
    format === 'png' || format === 'jpg' ? format : format === 'jpeg' ? 'jpg' : 'webp';
  const binary = atob(IMAGES[extension]);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return { bytes, contentType: TYPES[extension], extension };
}
