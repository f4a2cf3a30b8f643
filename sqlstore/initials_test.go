package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

func TestFillInitialsSQLite(t *testing.T)   { testFillInitials(t, openSQLite) }
func TestFillInitialsPostgres(t *testing.T) { testFillInitials(t, openPostgres) }

// testFillInitials checks that the migration adding pinyin initials fills them in for the
// enterprises registered before it, over more than one of its batches.
func testFillInitials(t *testing.T, open storetest.Opener) {
	ctx := context.Background()
	f, _ := storetest.NewFixture(t, open)
	const n = 1002
	err := f.Store.Write(ctx, func(tx gongshi.Tx) error {
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("北京第%d贸易有限公司", i)
			if i == n-1 {
				name = "上海杰图天下网络科技有限公司"
			}
			if _, _, err := f.Svc.RegisterTx(tx, f.Reg, storetest.Registration(storetest.USCC(i), name, "张三")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.RefillInitials(ctx, f.Store.(*sqlstore.DB)); err != nil {
		t.Fatal(err)
	}
	res, err := f.Svc.Search(ctx, gongshi.SearchQuery{Q: "shjt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].Name != "上海杰图天下网络科技有限公司" {
		t.Errorf("shjt after filling: got %v, want 上海杰图天下网络科技有限公司", hitNames(res))
	}
	res, err = f.Svc.Search(ctx, gongshi.SearchQuery{Q: "bjd", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 5 || res.Next == "" {
		t.Errorf("bjd after filling: got %v (next %q), want a full page and more", hitNames(res), res.Next)
	}
}

func hitNames(res *gongshi.SearchResult) []string {
	var names []string
	for _, h := range res.Hits {
		names = append(names, h.Name)
	}
	return names
}
