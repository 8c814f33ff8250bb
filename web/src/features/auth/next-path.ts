/** Only same-site paths are followed after sign-in, so a crafted link cannot bounce users elsewhere. */
export function safeNextPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
