package http

import "strings"

// noRouteFix is the fix for a path no route has: the routes it may have been meant for
// (nearestRoutes), and where every route is described.
func (s *Server) noRouteFix(path string) string {
	const all = "see /api/openapi.json for every route"
	near, under := s.nearestRoutes(path)
	switch {
	case len(near) == 0:
		return all
	case under != "":
		return "the routes under " + under + " are " + strings.Join(near, ", ") + "; " + all
	default:
		return "did you mean " + strings.Join(near, " or ") + "? " + all
	}
}

// nearestRoutes returns the routes a path that matched none may have been meant for, each
// as its methods and pattern ("GET /api/v1/credit-checks/{code}"):
//   - those it matches but for one segment a typing slip away from the pattern's
//     ("credit-check", "credit_checks", "credit-chekcs" for "credit-checks"), or but for
//     the API's version (/api/v2/…, /api/…), and then perhaps one slip;
//   - or else, under is the longest run of its first segments that is a route's (beyond
//     "/api/v1/", which all share), and the routes one segment longer, if there are a few
//     ("/api/v1/lists/nosuch": the two lists).
func (s *Server) nearestRoutes(path string) (near []string, under string) {
	methods := map[string][]string{} // pattern → its methods, in the table's order
	var patterns []string
	for _, rt := range s.routes {
		if methods[rt.Path] == nil {
			patterns = append(patterns, rt.Path)
		}
		methods[rt.Path] = append(methods[rt.Path], rt.Method)
	}
	named := func(p string) string { return strings.Join(methods[p], ", ") + " " + openAPIPath(p) }
	// slipped lists the patterns segs matches with one slip, or none when fewest is 0.
	slipped := func(segs []string, fewest int) (near []string) {
		for _, p := range patterns {
			if n := slipsOf(segs, strings.Split(strings.Trim(p, "/"), "/")); n >= fewest && n <= 1 {
				near = append(near, named(p))
			}
		}
		return near
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if near := slipped(segs, 1); len(near) > 0 {
		return near, ""
	}
	if len(segs) > 1 && segs[0] == "api" && segs[1] != "v1" {
		// Another version of the API, or none: this one is /api/v1/.
		rest := segs[1:]
		if len(segs[1]) > 1 && segs[1][0] == 'v' && strings.Trim(segs[1][1:], "0123456789") == "" {
			rest = segs[2:]
		}
		if near := slipped(append([]string{"api", "v1"}, rest...), 0); len(near) > 0 {
			return near, ""
		}
	}
	for k := len(segs) - 1; k > 0; k-- {
		prefix := "/" + strings.Join(segs[:k], "/") + "/"
		if prefix == "/api/" || prefix == "/api/v1/" {
			break
		}
		for _, p := range patterns {
			if strings.HasPrefix(p, prefix) && strings.Count(p, "/") == k+1 {
				near = append(near, named(p))
			}
		}
		if len(near) > 0 && len(near) <= 6 {
			return near, prefix
		}
		near = nil
	}
	return nil, ""
}

// slipsOf counts the literal segments of pattern that path's are a slip away from (slip),
// -1 when path's segments do not match pattern's otherwise.
func slipsOf(path, pattern []string) int {
	rest := strings.HasSuffix(pattern[len(pattern)-1], "...}")
	if len(path) != len(pattern) && !(rest && len(path) >= len(pattern)) {
		return -1
	}
	slips := 0
	for i, p := range pattern {
		seg := path[i]
		switch {
		case strings.HasPrefix(p, "{"):
			if seg == "" {
				return -1
			}
		case seg == p:
		case slip(seg, p):
			slips++
		default:
			return -1
		}
	}
	return slips
}

// slip says whether a is b mistyped: "_" for "-", or an edit distance of 1 (2 for words of
// six letters or more), counting two neighbours swapped as one.
func slip(a, b string) bool {
	if strings.ReplaceAll(a, "_", "-") == b {
		return true
	}
	limit := 1
	if len(b) >= 6 {
		limit = 2
	}
	return len(a) >= 3 && distance(a, b) <= limit
}

// distance is the optimal string alignment distance of a and b, by bytes: insertions,
// deletions, substitutions and swaps of neighbours.
func distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
