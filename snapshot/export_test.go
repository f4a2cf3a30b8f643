package snapshot

import "testing"

// SmallChunks makes the snapshots of a test be written in chunks of a few versions and
// enterprises, so that a small register makes many.
func SmallChunks(t *testing.T) {
	v, f := versionsPerChunk, filesPerChunk
	versionsPerChunk, filesPerChunk = 7, 3
	t.Cleanup(func() { versionsPerChunk, filesPerChunk = v, f })
}

// The CSV rows of a dossier.
var (
	EnterpriseRowOf = enterpriseRow
	ListRowOf       = listRow
)

// CSV is the row's CSV record.
func (r *EnterpriseRow) CSV() []string { return r.csv() }

// CSV is the row's CSV record.
func (r *ListRow) CSV() []string { return r.csv() }
