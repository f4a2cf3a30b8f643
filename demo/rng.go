package demo

// rng is a SplitMix64 generator: tiny, fast and good enough for demo data. Every
// enterprise and every event draws from its own stream, so any part of the data can be
// regenerated alone.
type rng struct{ s uint64 }

func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// newRNG returns the stream of (seed, a, b).
func newRNG(seed int64, a, b uint64) rng {
	return rng{mix64(uint64(seed)^0x5DEECE66D) ^ mix64(a*0x9E3779B97F4A7C15+b+1)}
}

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	return mix64(r.s)
}

// intn returns a number in [0, n); n must be in (0, 2^32).
func (r *rng) intn(n int) int { return int((r.next() >> 32) * uint64(n) >> 32) }

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// permille reports true with probability p/1000.
func (r *rng) permille(p int) bool { return r.intn(1000) < p }

// weights picks indexes with given relative weights.
type weights struct {
	cum   []uint32
	total uint32
}

func newWeights(w []int) weights {
	ws := weights{cum: make([]uint32, len(w))}
	for i, x := range w {
		ws.total += uint32(x)
		ws.cum[i] = ws.total
	}
	return ws
}

func (w *weights) pick(r *rng) int {
	x := uint32(r.intn(int(w.total)))
	lo, hi := 0, len(w.cum)
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
