/** Domains Replicate serves streams and files from; the token may go to these (https only). */
const REPLICATE_DOMAINS = ['replicate.com', 'replicate.delivery', 'replicate.net'];

/** Whether a URL is https on one of Replicate's own domains or their subdomains. */
export function isReplicateHost(url: URL): boolean {
  if (url.protocol !== 'https:') return false;
  return REPLICATE_DOMAINS.some((domain) => url.hostname === domain || url.hostname.endsWith(`.${domain}`));
}

/** The token goes to the configured API origin and to Replicate's own hosts, never anywhere else. */
export function mayReceiveToken(url: URL, baseUrl: string): boolean {
  return url.origin === new URL(baseUrl).origin || isReplicateHost(url);
}
