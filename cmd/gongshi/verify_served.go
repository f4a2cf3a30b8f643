package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/translog"
)

// checkServed checks, after the log's audit of a server, that what the server answers is
// what its logged documents say: every enterprise's page (GET /api/v1/enterprises/{code})
// equals the page made from the documents of its leaves by the same function the server
// uses (gongshi.PublicPage; a withdrawn document's version as its leaf alone gives it), and
// the lists (GET /api/v1/lists/abnormal and serious) hold exactly the entries in force that
// the documents' decisions make. size is the audited checkpoint's; writes after it are not
// checked (a page changed since is read again once). progress reports enterprises done.
func checkServed(ctx context.Context, base string, size int64, workers int, progress func(done, total int64)) (*gongshi.StateReport, error) {
	c := translog.NewClient(base, nil)
	bySubject, err := leavesBySubject(ctx, c, size)
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(bySubject))
	for code := range bySubject {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	rep := &gongshi.StateReport{}
	var mu sync.Mutex
	var entries []*gongshi.ListEntry
	var today calendar.Date
	jobs := make(chan string)
	var wg sync.WaitGroup
	var firstErr error
	var done int64
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for code := range jobs {
				es, day, problems, err := checkPage(ctx, c, base, code, bySubject[code])
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				for _, p := range problems {
					rep.Problem(p)
				}
				entries = append(entries, es...)
				if day.After(today) {
					today = day
				}
				rep.Enterprises++
				rep.Versions += int64(len(bySubject[code]))
				done++
				if progress != nil {
					progress(done, int64(len(codes)))
				}
				mu.Unlock()
			}
		}()
	}
	for _, code := range codes {
		if ctx.Err() != nil || firstErr != nil {
			break
		}
		jobs <- code
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return rep, firstErr
	}
	for _, list := range []string{gongshi.ListAbnormal, gongshi.ListSerious} {
		if err := checkList(ctx, base, list, today, entries, rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// leavesBySubject reads the log's leaves up to size by their subjects (enterprises; draws'
// jurisdictions are left out).
func leavesBySubject(ctx context.Context, c *translog.Client, size int64) (map[string][]indexedLeaf, error) {
	out := map[string][]indexedLeaf{}
	for n := int64(0); n*translog.TileWidth < size; n++ {
		w := int(min(translog.TileWidth, size-n*translog.TileWidth))
		leaves, err := c.Entries(ctx, n, w)
		if err != nil {
			return nil, fmt.Errorf("read leaves of tile %d: %w", n, err)
		}
		for i, b := range leaves {
			l, err := translog.ParseLeaf(b)
			if err != nil {
				return nil, err
			}
			if !gongshi.AboutNoEnterprise(l.Kind) {
				out[l.Subject] = append(out[l.Subject], indexedLeaf{l, n*translog.TileWidth + int64(i)})
			}
		}
	}
	return out, nil
}

type indexedLeaf struct {
	translog.Leaf
	index int64
}

// checkPage compares an enterprise's page with the page its documents make, and returns
// the list entries its documents make and the server's day.
func checkPage(ctx context.Context, c *translog.Client, base, code string, leaves []indexedLeaf) ([]*gongshi.ListEntry, calendar.Date, []string, error) {
	vs := make([]*gongshi.Version, len(leaves))
	for i, l := range leaves {
		doc, err := c.Document(ctx, l.SHA256)
		switch {
		case errors.Is(err, translog.ErrWithdrawn):
			vs[i] = gongshi.WithdrawnVersion(l.Leaf, l.index)
			continue
		case err != nil:
			return nil, calendar.Date{}, nil, fmt.Errorf("document of leaf %d: %w", l.index, err)
		}
		v, err := gongshi.OpenVersion(gongshi.StoredVersion{LogIndex: l.index, Document: doc}, false)
		if err != nil {
			return nil, calendar.Date{}, []string{fmt.Sprintf("leaf %d: %v", l.index, err)}, nil
		}
		vs[i] = v
	}
	served, day, err := getJSON(ctx, base+"/api/v1/enterprises/"+url.PathEscape(code))
	if err != nil {
		return nil, day, []string{fmt.Sprintf("enterprise %s has leaves in the log but its page: %v", code, err)}, nil
	}
	want, err := gongshi.PublicPage(vs, day)
	if err != nil {
		return nil, day, []string{fmt.Sprintf("enterprise %s: %v", code, err)}, nil
	}
	expected, err := generic(gshttp.PageOf(want))
	if err != nil {
		return nil, day, nil, err
	}
	// Versions logged after the audited checkpoint are on the page but not in its leaves.
	if n := countVersions(served); n != len(leaves) {
		return want.Enterprise.ListStatus.Entries, day, nil, nil
	}
	var problems []string
	if !reflect.DeepEqual(served, expected) {
		problems = append(problems, fmt.Sprintf("enterprise %s: the page served differs from the page its logged documents make: %s", code, firstDifference(expected, served, "")))
	}
	return want.Enterprise.ListStatus.Entries, day, problems, nil
}

// checkList pages through a list as served and compares it with the entries in force on
// day that the decisions make.
func checkList(ctx context.Context, base, list string, day calendar.Date, entries []*gongshi.ListEntry, rep *gongshi.StateReport) error {
	want := map[string]any{}
	for _, e := range entries {
		if e.Active(day) && (e.List == gongshi.ListSerious) == (list == gongshi.ListSerious) {
			g, err := generic(e)
			if err != nil {
				return err
			}
			want[e.ID] = g
		}
	}
	got := map[string]any{}
	for cursor := ""; ; {
		q := url.Values{"as_of": {day.String()}, "limit": {"500"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		page, _, err := getJSON(ctx, base+"/api/v1/lists/"+list+"?"+q.Encode())
		if err != nil {
			return err
		}
		m, _ := page.(map[string]any)
		es, _ := m["entries"].([]any)
		for _, e := range es {
			em, _ := e.(map[string]any)
			id, _ := em["id"].(string)
			got[id] = e
		}
		if cursor, _ = m["next"].(string); cursor == "" {
			break
		}
	}
	for id, w := range want {
		switch g, ok := got[id]; {
		case !ok:
			rep.Problem(fmt.Sprintf("list %s: entry %s is in force on %s by its logged decisions but not served", list, id, day))
		case !reflect.DeepEqual(g, w):
			rep.Problem(fmt.Sprintf("list %s: entry %s served differs from its logged decisions: %s", list, id, firstDifference(w, g, "")))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			rep.Problem(fmt.Sprintf("list %s: entry %s is served but no logged decision puts it on the list on %s", list, id, day))
		}
	}
	return nil
}

// getJSON GETs a JSON answer as generic values, with the server's day (its Date header in
// China Standard Time).
func getJSON(ctx context.Context, u string) (any, calendar.Date, error) {
	resp, err := translog.GetPolitely(ctx, http.DefaultClient, u)
	if err != nil {
		return nil, calendar.Date{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, calendar.Date{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, calendar.Date{}, fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	day := calendar.DateOf(time.Now())
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		day = calendar.DateOf(t)
	}
	var v any
	return v, day, json.Unmarshal(b, &v)
}

// generic is v as JSON values, as a client decodes them.
func generic(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var g any
	return g, json.Unmarshal(b, &g)
}

// countVersions counts the versions of a served page's records.
func countVersions(page any) int {
	m, _ := page.(map[string]any)
	sections, _ := m["sections"].(map[string]any)
	n := 0
	for _, recs := range sections {
		l, _ := recs.([]any)
		for _, r := range l {
			rm, _ := r.(map[string]any)
			vs, _ := rm["versions"].([]any)
			n += len(vs)
		}
	}
	return n
}

// firstDifference names the first path at which two JSON values differ.
func firstDifference(want, got any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s is %v, the log says an object", path, got)
		}
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !reflect.DeepEqual(w[k], g[k]) {
				return firstDifference(w[k], g[k], path+"."+k)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s has %d items, the log says %d", path, len(g), len(w))
		}
		for i := range w {
			if !reflect.DeepEqual(w[i], g[i]) {
				return firstDifference(w[i], g[i], fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	return fmt.Sprintf("%s is %v, the log says %v", path, got, want)
}
