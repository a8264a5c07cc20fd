// Delay before the next connection attempt after `failures` failed ones in a row.
// The original client retried after 10 ms, so a server restart brought every browser back
// at once; here the first retry is quick, later ones double up to 30 s, and each is spread
// over [50%, 100%] of its step so that clients that dropped together come back apart.
export function backoffDelay(failures, random = Math.random) {
  if (failures <= 0) return 0;
  const step = failures === 1 ? 200 : Math.min(30000, 500 * 2 ** (failures - 2));
  return Math.round(step * (0.5 + random() / 2));
}
