// Cursors stay decimal strings and are compared exactly: a double cannot tell
// apart two generated cursors of one microsecond ("1795310370.48286000100000").
const split = (c) => {
  const [int, frac = ''] = String(c).split('.');
  return [int.replace(/^0+/, ''), frac.replace(/0+$/, '')];
};

export function compareCursors(a, b) {
  const [ai, af] = split(a);
  const [bi, bf] = split(b);
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  return af === bf ? 0 : af < bf ? -1 : 1; // trailing zeros gone: plain string order is numeric order
}

// The greater of two cursors; null means "none known".
export const maxCursor = (a, b) => (a == null ? b : b == null ? a : compareCursors(a, b) < 0 ? b : a);

// The lesser of two cursors; null means "none known".
export const minCursor = (a, b) => (a == null ? b : b == null ? a : compareCursors(a, b) > 0 ? b : a);
