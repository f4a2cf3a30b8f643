package translog

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

func TestTilePath(t *testing.T) {
	for _, c := range []struct {
		tile tlog.Tile
		path string
	}{
		{tlog.Tile{H: 8, L: 0, N: 0, W: 256}, "tile/0/000"},
		{tlog.Tile{H: 8, L: 0, N: 1234067, W: 256}, "tile/0/x001/x234/067"},
		{tlog.Tile{H: 8, L: 1, N: 999, W: 17}, "tile/1/999.p/17"},
		{tlog.Tile{H: 8, L: 2, N: 1000, W: 1}, "tile/2/x001/000.p/1"},
		{tlog.Tile{H: 8, L: 63, N: 5, W: 256}, "tile/63/005"},
		{tlog.Tile{H: 8, L: EntriesLevel, N: 1234067, W: 8}, "tile/entries/x001/x234/067.p/8"},
		{tlog.Tile{H: 8, L: EntriesLevel, N: 3, W: 256}, "tile/entries/003"},
	} {
		if got := TilePath(c.tile); got != c.path {
			t.Errorf("TilePath(%+v) = %q, want %q", c.tile, got, c.path)
		}
		got, err := ParseTilePath(c.path)
		if err != nil || got != c.tile {
			t.Errorf("ParseTilePath(%q) = %+v, %v; want %+v", c.path, got, err, c.tile)
		}
	}
	for _, bad := range []string{
		"", "tile", "tile/0", "tile/0/", "tiles/0/000", "tile/00/000", "tile/64/000", "tile/-1/000", "tile/data/000",
		"tile/0/1", "tile/0/0001", "tile/0/x000/001", "tile/0/001/002", "tile/0/x001", "tile/0/000.p/0",
		"tile/0/000.p/256", "tile/0/000.p/01", "tile/0/000.p", "tile/0/000/.p/5", "tile/0/x1/000", "tile/0/+01",
		"tile/0/x009/x223/x372/x036/x854/x775/x807/000", "tile/entries/000.p/", "tile/0/x001/x234/067.p/5/6",
	} {
		if tile, err := ParseTilePath(bad); !errors.Is(err, ErrMalformedTilePath) {
			t.Errorf("ParseTilePath(%q) = %+v, %v; want ErrMalformedTilePath", bad, tile, err)
		}
	}
}

func FuzzParseTilePath(f *testing.F) {
	for _, p := range []string{"tile/0/x001/x234/067", "tile/entries/001.p/5", "tile/63/000", "tile/1/x999/999.p/255"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		tile, err := ParseTilePath(path)
		if err != nil {
			return
		}
		if got := TilePath(tile); got != path {
			t.Fatalf("ParseTilePath(%q) = %+v, which formats as %q", path, tile, got)
		}
		if tile.H != TileHeight || tile.N < 0 || tile.W < 1 || tile.W > TileWidth || tile.L < EntriesLevel || tile.L > 63 {
			t.Fatalf("ParseTilePath(%q) = %+v, out of range", path, tile)
		}
	})
}

func ExampleTilePath() {
	fmt.Println(TilePath(tlog.Tile{H: 8, L: 0, N: 1234067, W: 256}))
	fmt.Println(TilePath(tlog.Tile{H: 8, L: EntriesLevel, N: 3, W: 17}))
	// Output:
	// tile/0/x001/x234/067
	// tile/entries/003.p/17
}
