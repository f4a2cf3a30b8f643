package web

import (
	"github.com/gongshi/gongshi/snapshot"
)

// The open-data page (数据下载): the change feed and the bulk snapshots (SPEC §12), with
// links to the snapshots in Config.Snapshots.
type openData struct {
	Snapshots []*snapshot.Manifest
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
	return p.render("data", openData{Snapshots: ms})
}
