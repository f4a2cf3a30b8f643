package report

import (
	"encoding/binary"
	"errors"
	"sort"
)

// firstFont makes a standalone TrueType font of the first font of a TrueType collection
// (.ttc), which fpdf cannot read: the font's table directory, and its tables copied after
// it with their offsets rewritten. Debian's CJK fonts with Latin glyphs (fonts-wqy-microhei,
// fonts-wqy-zenhei) come as collections.
func firstFont(ttc []byte) ([]byte, error) {
	bad := errors.New("not a valid TrueType collection")
	if len(ttc) < 16 || string(ttc[:4]) != "ttcf" || binary.BigEndian.Uint32(ttc[8:]) == 0 {
		return nil, bad
	}
	at := int(binary.BigEndian.Uint32(ttc[12:]))
	if at+12 > len(ttc) {
		return nil, bad
	}
	n := int(binary.BigEndian.Uint16(ttc[at+4:]))
	dir := at + 12
	if dir+16*n > len(ttc) {
		return nil, bad
	}
	type table struct {
		rec        []byte // tag, checksum, offset, length
		data       []byte
		tag        string
		newOffset  int
		origOffset int
	}
	tables := make([]table, n)
	for i := range tables {
		rec := ttc[dir+16*i : dir+16*i+16]
		off, length := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || length < 0 || off+length > len(ttc) {
			return nil, bad
		}
		tables[i] = table{rec: rec, data: ttc[off : off+length], tag: string(rec[:4]), origOffset: off}
	}
	out := append([]byte(nil), ttc[at:at+12]...)
	out = append(out, make([]byte, 16*n)...)
	// Tables in their original order in the file, each on a 4-byte boundary; the directory
	// stays sorted by tag, as the format wants.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return tables[order[a]].origOffset < tables[order[b]].origOffset })
	for _, i := range order {
		tables[i].newOffset = len(out)
		out = append(out, tables[i].data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	for i, t := range tables {
		rec := out[12+16*i : 12+16*i+16]
		copy(rec, t.rec)
		binary.BigEndian.PutUint32(rec[8:], uint32(t.newOffset))
	}
	return out, nil
}
