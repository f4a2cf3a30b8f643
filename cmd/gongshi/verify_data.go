package main

import (
	"context"
	"fmt"

	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

func init() {
	openDataLog = func(ctx context.Context, dir string) (*dataLog, error) {
		if !fileExists(dir + "/gongshi.db") {
			return nil, fmt.Errorf("%s holds no gongshi database (gongshi.db)", dir)
		}
		db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Shared: true})
		if err != nil {
			return nil, err
		}
		docs := func(ctx context.Context, sha string) ([]byte, error) {
			doc, w, err := db.Document(ctx, sha)
			if err != nil {
				return nil, err
			}
			if w != nil {
				return nil, fmt.Errorf("%w: %s", translog.ErrWithdrawn, w.Reason)
			}
			return doc, nil
		}
		return &dataLog{Store: db, Document: docs, AuditState: db.AuditState, Closer: db}, nil
	}
}
