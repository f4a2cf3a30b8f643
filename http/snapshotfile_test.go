package http_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/snapshot/snapshottest"
)

// TestSlowSnapshotDownload reads a snapshot file of 16 MiB slowly (64 KiB every 20 ms,
// through a small receive buffer: about 5 s) from a server whose write timeout is
// 500 ms: a file is sent for as long as its reader keeps taking it, as a national
// snapshot's gigabytes need over any link, where the server's write timeout cut it off.
func TestSlowSnapshotDownload(t *testing.T) {
	st := testserver.Start(t, testserver.Options{Now: time.Now(), WriteTimeout: 500 * time.Millisecond})
	m := snapshottest.Large(t, filepath.Join(st.Dir, "snapshots"), "20261204T120000Z-100", 16<<20)
	name := m.Name
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 64<<10) })
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
	req, _ := http.NewRequestWithContext(context.Background(), "GET", st.URL+"/api/v1/snapshots/"+name+"/versions.jsonl.gz", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start, h, buf := time.Now(), sha256.New(), make([]byte, 64<<10)
	var got int64
	for {
		n, err := io.ReadFull(resp.Body, buf)
		h.Write(buf[:n])
		got += int64(n)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes in %v: %v", got, time.Since(start), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got != m.Files[0].Bytes || hex.EncodeToString(h.Sum(nil)) != m.Files[0].SHA256 {
		t.Fatalf("read %d bytes in %v, want the whole file (%d bytes, its SHA-256)", got, time.Since(start), m.Files[0].Bytes)
	}
	t.Logf("read the whole file in %v", time.Since(start))
}
