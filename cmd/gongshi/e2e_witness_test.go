package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi/translog"
)

// TestE2EWitnesses runs three nodes witnessing each other. Each serves its checkpoint
// cosigned by the other two, and verify can require them; a split view of node a — a
// checkpoint of another history signed with a's key — is refused by its witnesses, which
// log it, and a checkpoint without their cosignatures fails a verify that requires them.
func TestE2EWitnesses(t *testing.T) {
	t.Parallel()
	type node struct {
		dir, origin, vkey, wkey, addr string
		srv                           *e2eServer
	}
	nodes := make([]*node, 3)
	for i, name := range []string{"a", "b", "c"} {
		n := &node{dir: t.TempDir(), origin: name + ".test/log"}
		s, err := translog.LoadOrCreateKey(n.dir, n.origin)
		if err != nil {
			t.Fatal(err)
		}
		n.vkey = s.VerifierKey()
		code, out, errOut := runMain("admin", "key", "witness", "--data", n.dir, "--origin", n.origin)
		if code != 0 {
			t.Fatalf("admin key witness: exit %d\n%s", code, errOut)
		}
		n.wkey = strings.TrimSpace(out)
		n.addr = unusedAddr(t)
		nodes[i] = n
	}
	for i, n := range nodes {
		args := []string{"--origin", n.origin, "--addr", n.addr}
		for j, o := range nodes {
			if j != i {
				args = append(args, "--witness-for", o.vkey, "--witness", o.wkey+"@http://"+o.addr+"/log/witness")
			}
		}
		n.srv = startServer(t, n.dir, args...)
	}
	a, b := nodes[0], nodes[1]
	reg := adminToken(t, a.dir, "--origin", a.origin, "--role", "regulator", "--jurisdiction", "310000")
	uscc := usccFor(t, "310115", 4400)
	call(t, "POST", a.srv.url+"/api/v1/enterprises", reg, registrationBody(uscc, "上海见证样本科技有限公司")).want(t, 201, nil)
	p := publishAndWait(t, a.srv.url, reg, uscc, 1)
	cp := waitCosigned(t, a.srv.url, p.logIndex+1, 2, a.srv.stderr)
	if !bytes.Contains(cp, []byte("— b.test/witness ")) || !bytes.Contains(cp, []byte("— c.test/witness ")) {
		t.Fatalf("a's checkpoint: want cosignatures of b and c:\n%s", cp)
	}
	state := filepath.Join(t.TempDir(), "v.json")
	code, out, errOut := verifyMain("--url", a.srv.url, "--key", a.vkey, "--state", state, "--answers=false",
		"--witness", b.wkey, "--witness", nodes[2].wkey, "--witnesses", "2")
	if code != 0 || !strings.Contains(out, "witnesses  2 of 2 cosigned") {
		t.Fatalf("verify requiring 2 of 2 witnesses: exit %d\n%s%s", code, out, tail(errOut, 2000))
	}

	// A split view: a's key signs a checkpoint of another history of as many leaves.
	signer, err := translog.LoadOrCreateKey(a.dir, a.origin)
	if err != nil {
		t.Fatal(err)
	}
	size := p.logIndex + 1
	fork := translog.NewMemStore()
	for i := int64(0); i < size; i++ {
		fork.Append(context.Background(), [][]byte{fmt.Appendf(nil, `{"forged":%d}`, i)})
	}
	root, _ := tlog.TreeHash(size, translog.HashReader(context.Background(), fork))
	forged, err := signer.Sign(tlog.Tree{N: size, Hash: root})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post("http://"+b.addr+"/log/witness/add-checkpoint", "text/plain", bytes.NewReader(append(fmt.Appendf(nil, "old %d\n\n", size), forged...)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("witness b given a forked checkpoint of a: got %d, want 409 Conflict", resp.StatusCode)
	}
	if !waitFor(5*time.Second, func() bool { return strings.Contains(b.srv.stderr.String(), "WITNESS REFUSED") }) {
		t.Errorf("witness b logged no refusal; stderr:\n%s", tail(b.srv.stderr.String(), 2000))
	}
	// The forked checkpoint, cosigned by no witness, fails a reader that requires them.
	if err := checkCosigned(&bytes.Buffer{}, string(forged), []string{b.wkey, nodes[2].wkey}, 1); err == nil {
		t.Errorf("a checkpoint no witness cosigned passed a reader requiring 1 of 2")
	}
	code, out, _ = verifyMain("--data", a.dir, "--state", filepath.Join(t.TempDir(), "d.json"), "--witness", b.wkey)
	if code == 0 || !strings.Contains(out, "witnesses  0 of 1 cosigned") {
		t.Errorf("verify --data (a checkpoint without cosignatures) requiring a witness: got exit %d, want a failure\n%s", code, out)
	}

	// The witnesses remember what a published even when a's data folder forgot it: an
	// older database, restored without its published checkpoint, is refused.
	backup := filepath.Join(t.TempDir(), "a.db")
	if code, out, errOut := runMain("backup", "--data", a.dir, backup); code != 0 {
		t.Fatalf("backup: exit %d\n%s%s", code, out, errOut)
	}
	p = publishAndWait(t, a.srv.url, reg, uscc, 2)
	waitCosigned(t, a.srv.url, p.logIndex+1, 2, a.srv.stderr)
	a.srv.stop()
	if code, out, errOut := runMain("restore", "--data", a.dir, "--origin", a.origin, backup); code != 0 {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errOut)
	}
	if err := os.Remove(filepath.Join(a.dir, translog.PublishedFile)); err != nil {
		t.Fatal(err)
	}
	args := []string{"--origin", a.origin, "--addr", a.addr}
	for _, o := range nodes[1:] {
		args = append(args, "--witness-for", o.vkey, "--witness", o.wkey+"@http://"+o.addr+"/log/witness")
	}
	a.srv = startServer(t, a.dir, args...)
	if !strings.Contains(a.srv.stderr.String(), "REFUSING TO PUBLISH") {
		t.Errorf("a restored without its published checkpoint: the witnesses' memory did not stop it publishing; stderr:\n%s", tail(a.srv.stderr.String(), 3000))
	}
	call(t, "POST", a.srv.url+"/api/v1/enterprises/"+uscc+"/records", reg, publication("penalty", daysAgo(3), penaltyFields(3))).problem(t, 503, "")
}

// waitCosigned waits until url serves a checkpoint of size leaves or more with at least
// k signature lines besides the log's own.
func waitCosigned(t *testing.T, url string, size int64, k int, logs *syncBuffer) []byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cp, tree := waitCheckpoint(t, url, size)
		if tree.N >= size && bytes.Count(cp, []byte("\n— ")) >= k+1 {
			return cp
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint of %d leaves with %d cosignatures within 20 s; last:\n%s\nserver log:\n%s", size, k, cp, tail(logs.String(), 3000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// unusedAddr is a local address no one listens on, for a server that must be named before
// it starts. Its port lies below the kernel's ephemeral range (ip_local_port_range), from
// which ":0" listeners and outgoing connections take theirs: a port reserved there and
// closed was taken by another test's connection before the server bound it.
func unusedAddr(t *testing.T) string {
	t.Helper()
	lowest := 32768 // Linux's default
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			fmt.Sscan(f[0], &lowest)
		}
	}
	for try := 0; try < 100; try++ {
		addr := fmt.Sprintf("127.0.0.1:%d", 10000+rand.IntN(max(lowest-10000, 1)))
		if ln, err := net.Listen("tcp", addr); err == nil {
			ln.Close()
			return addr
		}
	}
	t.Fatal("no unused port found below the ephemeral range")
	return ""
}
