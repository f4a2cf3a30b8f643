package translog

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// TileHeight is the height of every tile: C2SP tlog-tiles fixes it at 8, so a full tile
// holds 256 hashes (8,192 bytes) and a full entry bundle 256 entries.
const TileHeight = 8

// TileWidth is the number of hashes in a full tile and entries in a full bundle.
const TileWidth = 1 << TileHeight

// EntriesLevel is the tlog.Tile level that stands for an entry bundle, as tlog's own "data"
// tiles do.
const EntriesLevel = -1

// TilePath returns the C2SP tlog-tiles path of t, relative to the log's prefix:
//
//	tile/<L>/<N>[.p/<W>]        for a Merkle tile (t.L ≥ 0)
//	tile/entries/<N>[.p/<W>]    for an entry bundle (t.L == EntriesLevel)
//
// <L> and <W> are decimal without leading zeros; <N> is written in groups of three
// digits, every group but the last prefixed with "x" (1234067 is "x001/x234/067"); the
// ".p/<W>" suffix appears only for partial tiles (W < 256). Unlike tlog.Tile.Path, the path
// does not include the tile height. t.H must be TileHeight.
func TilePath(t tlog.Tile) string {
	var b strings.Builder
	b.WriteString("tile/")
	if t.L == EntriesLevel {
		b.WriteString("entries")
	} else {
		b.WriteString(strconv.Itoa(t.L))
	}
	n := t.N
	groups := []int64{n % 1000}
	for n >= 1000 {
		n /= 1000
		groups = append(groups, n%1000)
	}
	for i := len(groups) - 1; i >= 0; i-- {
		if i > 0 {
			fmt.Fprintf(&b, "/x%03d", groups[i])
		} else {
			fmt.Fprintf(&b, "/%03d", groups[i])
		}
	}
	if t.W > 0 && t.W < TileWidth {
		fmt.Fprintf(&b, ".p/%d", t.W)
	}
	return b.String()
}

// ParseTilePath parses a path TilePath writes ("tile/…", without the log's prefix) into a
// tile of height TileHeight: W is 256 for a full tile, L is EntriesLevel for an entry
// bundle. Only the canonical spelling is accepted: L from 0 to 63 without leading zeros,
// every group of N exactly three digits with no leading "x000" group, W from 1 to 255
// without leading zeros. Any other path is an error wrapping ErrMalformedTilePath.
func ParseTilePath(path string) (tlog.Tile, error) {
	bad := func(why string) (tlog.Tile, error) {
		return tlog.Tile{}, fmt.Errorf("%w: %q: %s", ErrMalformedTilePath, path, why)
	}
	elems := strings.Split(path, "/")
	if len(elems) < 3 || elems[0] != "tile" {
		return bad(`want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]`)
	}
	t := tlog.Tile{H: TileHeight, W: TileWidth}
	if elems[1] == "entries" {
		t.L = EntriesLevel
	} else {
		l, err := strconv.Atoi(elems[1])
		if err != nil || l < 0 || l > 63 {
			return bad("level must be 0…63 or entries")
		}
		t.L = l
	}
	nums := elems[2:]
	if len(nums) >= 2 && strings.HasSuffix(nums[len(nums)-2], ".p") {
		w, err := strconv.Atoi(nums[len(nums)-1])
		if err != nil || w < 1 || w >= TileWidth {
			return bad("partial width must be 1…255")
		}
		t.W = w
		nums = nums[:len(nums)-1]
		nums[len(nums)-1] = strings.TrimSuffix(nums[len(nums)-1], ".p")
	}
	for i, e := range nums {
		if i < len(nums)-1 {
			if !strings.HasPrefix(e, "x") {
				return bad("all but the last index group must start with x")
			}
			e = e[1:]
		}
		if len(e) != 3 || strings.Trim(e, "0123456789") != "" {
			return bad("index groups must be three digits")
		}
		d, _ := strconv.Atoi(e)
		if t.N > (math.MaxInt64-int64(d))/1000 {
			return bad("index too large")
		}
		t.N = t.N*1000 + int64(d)
	}
	if TilePath(t) != path {
		return bad("not in canonical form")
	}
	return t, nil
}
