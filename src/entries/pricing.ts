/**
 * `replikit/pricing` — lands with its issue. The entry exists now so the exports map, the build and the
 * type checks cover every subpath from the start.
 */
export {};
