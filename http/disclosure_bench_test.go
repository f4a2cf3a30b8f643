package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/storetest"
)

// BenchmarkFileAnnualReports files annual reports through the HTTP API with 64 concurrent
// clients on SQLite, as in the last week of June: each request is answered 201 only once
// its version and log leaf have committed (synchronous=FULL). The figure is reports/s.
func BenchmarkFileAnnualReports(b *testing.B) {
	const clients = 64
	ctx := context.Background()
	svc, url, reg := benchAPI(b, "2026-06-24T10:00:00+08:00")

	// Enterprises and their liaison tokens, made concurrently so that they batch.
	codes, tokens := make([]string, b.N), make([]string, b.N)
	var wg sync.WaitGroup
	sem := make(chan struct{}, clients)
	var setupErr atomic.Value
	for i := 0; i < b.N; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			c, err := ident.GenerateUSCC('9', '1', "310115", uint64(500000+i))
			if err != nil {
				setupErr.Store(err)
				return
			}
			codes[i] = c.String()
			if _, _, err := svc.Register(ctx, reg, registration(codes[i])); err != nil {
				setupErr.Store(err)
				return
			}
			_, tok, err := svc.CreateAccount(ctx, gongshi.NewAccount{ID: fmt.Sprintf("bench-%d", i), Role: gongshi.RoleEnterprise, Enterprise: codes[i]})
			if err != nil {
				setupErr.Store(err)
				return
			}
			tokens[i] = tok
		}(i)
	}
	wg.Wait()
	if err := setupErr.Load(); err != nil {
		b.Fatal(err)
	}
	body, _ := json.Marshal(filing(2025, storetest.ReportFields()))
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}}

	b.ResetTimer()
	var next atomic.Int64
	var failed atomic.Value
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				req, _ := http.NewRequest("POST", url+"/api/v1/enterprises/"+codes[i]+"/annual-reports", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tokens[i])
				resp, err := hc.Do(req)
				if err != nil {
					failed.Store(err)
					return
				}
				data, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 201 {
					failed.Store(fmt.Errorf("status %d: %s", resp.StatusCode, data))
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}
