package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gongshi/gongshi/snapshot/snapshottest"
)

// TestInterruptTwice interrupts the real binary serving a download that is not being read:
// the first interrupt says that it stops where nothing is lost and how to stop at once,
// and the server waits for the download (its shutdown's 10 s); the second stops the
// process at once. Before, the second was ignored like the first.
func TestInterruptTwice(t *testing.T) {
	bin := buildGongshi(t)
	dir := t.TempDir()
	name := snapshottest.Large(t, filepath.Join(dir, "snapshots"), "20261204T120000Z-1", 32<<20).Name

	cmd := exec.Command(bin, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--snapshot-every", "0")
	stdout, _ := cmd.StdoutPipe()
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := bufio.NewScanner(stdout)
	url := ""
	for url == "" && lines.Scan() {
		if m := servingLine.FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
		}
	}
	go func() { io.Copy(io.Discard, stdout); exited <- cmd.Wait() }()
	if url == "" {
		cmd.Process.Kill()
		t.Fatalf("serve printed no serving line; stderr:\n%s", stderr.String())
	}

	// A download taken 64 KiB in and then left unread, through a small receive buffer: the
	// server is left writing it.
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 64<<10) })
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
	resp, err := client.Get(url + "/api/v1/snapshots/" + name + "/versions.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}

	cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-exited:
		t.Fatalf("serve exited at the first interrupt (%v), with a download under way", err)
	case <-time.After(2 * time.Second):
	}
	if !strings.Contains(stderr.String(), "interrupt again to stop at once") {
		t.Errorf("the first interrupt said nothing of stopping at once; stderr:\n%s", stderr.String())
	}
	start := time.Now()
	cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-exited:
		if ee, ok := err.(*exec.ExitError); !ok || ee.ProcessState.Sys().(syscall.WaitStatus).Signal() != os.Interrupt {
			t.Errorf("serve ended with %v at the second interrupt, want killed by it", err)
		}
		t.Logf("stopped %v after the second interrupt", time.Since(start).Round(time.Millisecond))
	case <-time.After(3 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve still ran 3 s after a second interrupt; stderr:\n%s", stderr.String())
	}
}
