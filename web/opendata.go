package web

import (
	"strconv"

	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/snapshot"
)

// The open-data page (数据下载): the change feed and the bulk snapshots (SPEC §12), with
// links to the snapshots in Config.Snapshots.
type openData struct {
	Snapshots []*snapshot.Manifest
	// Base is the register's address, for the commands the page shows to be run as they
	// are: Config.PublicURL, else the scheme and host the request came to.
	Base string
}

func (h *Handler) openData(p *page) error {
	ms, err := snapshot.List(h.cfg.Snapshots)
	if err != nil {
		return err
	}
	if h.cfg.Snapshots == "" {
		ms = nil
	}
	p.Title = p.T("data.title")
	return p.render("data", openData{Snapshots: ms, Base: gshttp.PublicURL(h.cfg.PublicURL, p.r)})
}

// byteSize writes a file's size for people: 98.5 MB, 1.6 GB (powers of 1,000, as
// download tools and disks count), bytes below a kilobyte.
func byteSize(n int64) string {
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	f, unit := float64(n)/1000, 0
	for f >= 999.95 && unit < 4 {
		f, unit = f/1000, unit+1
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + [...]string{"kB", "MB", "GB", "TB", "PB"}[unit]
}

// grouped writes a count with its thousands separated: 10,367,839.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
