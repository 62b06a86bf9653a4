// Warm timing shared by the Yjs benchmark scripts: warm-up runs for >= 4 s (at least one; the
// first run's output goes to `check`), then measured runs for >= 10 s (at least 3).
// Returns { ms (mean), median, min, runs }.
export function warmTiming (once, check = () => {}) {
  let warmMs = 0
  let runs = 0
  while (runs < 1 || warmMs < 4000) {
    const { out, ms } = once()
    if (runs === 0) check(out)
    warmMs += ms
    runs++
  }
  const samples = []
  let total = 0
  while (samples.length < 3 || total < 10000) {
    const { ms } = once()
    samples.push(ms)
    total += ms
  }
  const sorted = samples.slice().sort((a, b) => a - b)
  return { ms: total / samples.length, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], runs: samples.length }
}
