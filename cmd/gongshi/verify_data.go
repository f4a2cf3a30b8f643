package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

func init() {
	openDataLog = func(ctx context.Context, dir string) (translog.Store, func(context.Context, string) ([]byte, error), io.Closer, error) {
		if !fileExists(dir + "/gongshi.db") {
			return nil, nil, nil, fmt.Errorf("%s holds no gongshi database (gongshi.db)", dir)
		}
		db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Shared: true})
		if err != nil {
			return nil, nil, nil, err
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
		return db, docs, db, nil
	}
}
