package webhook_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/webhook"
)

// memState is a watch's progress in memory.
type memState struct {
	mu        sync.Mutex
	delivered int64
	log       []webhook.Delivery
	failed    chan struct{} // a token per failed attempt
}

func (s *memState) Delivered(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delivered, nil
}

func (s *memState) Record(_ context.Context, d webhook.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, d)
	if d.OK {
		s.delivered = d.LogIndex
	} else {
		select {
		case s.failed <- struct{}{}:
		default:
		}
	}
	return nil
}

// receiver is a webhook receiver on a real listener that checks signatures.
type receiver struct {
	t      *testing.T
	secret []byte
	got    chan int64
	hs     *http.Server
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := webhook.Verify(rc.secret, r.Header.Get("Gongshi-Signature"), body, time.Now(), time.Minute); err != nil {
		rc.t.Errorf("delivery %s: %v", r.Header.Get("Gongshi-Log-Index"), err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	ev, err := gongshi.ParseFeedEvent(body)
	if err != nil || strconv.FormatInt(ev.LogIndex, 10) != r.Header.Get("Gongshi-Log-Index") {
		rc.t.Errorf("delivery %s: %v", r.Header.Get("Gongshi-Log-Index"), err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	rc.got <- ev.LogIndex
}

func (rc *receiver) start(addr string) string {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		rc.t.Fatal(err)
	}
	rc.hs = &http.Server{Handler: rc}
	go rc.hs.Serve(ln)
	return ln.Addr().String()
}

// threeEnterprises starts a register on a real listener with three enterprises registered
// in Pudong (log indexes 0–2) and returns it, its regulator and their codes.
func threeEnterprises(t *testing.T, dbURL string) (*testserver.Stack, *gongshi.Account, []string) {
	st := testserver.Start(t, testserver.Options{Now: storetest.At("2026-06-01T10:00:00+08:00"), DBURL: dbURL})
	reg := &gongshi.Account{ID: "sh", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	var codes []string
	for i := 0; i < 3; i++ {
		c, _ := ident.GenerateUSCC('9', '1', "310115", uint64(800+i))
		codes = append(codes, c.String())
		if _, _, err := st.Svc.Register(context.Background(), reg, storetest.Registration(codes[i], fmt.Sprintf("上海观察%d有限公司", i), "张三")); err != nil {
			t.Fatal(err)
		}
	}
	return st, reg, codes
}

// TestDeliveryAcrossOutage: a receiver watching two of three enterprises gets each of their
// changes once, in order, signed, though it is down for a while; the delivery log shows the
// failed attempts.
func TestDeliveryAcrossOutage(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testDeliveryAcrossOutage(t, "") })
	t.Run("postgres", func(t *testing.T) { testDeliveryAcrossOutage(t, storetest.PostgresURL(t)) })
}

func testDeliveryAcrossOutage(t *testing.T, dbURL string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, reg, codes := threeEnterprises(t, dbURL)
	watched := map[string]bool{codes[0]: true, codes[2]: true}
	rc := &receiver{t: t, secret: []byte("s3cret"), got: make(chan int64, 100)}
	addr := rc.start("127.0.0.1:0")
	state := &memState{delivered: -1, failed: make(chan struct{}, 1)}
	d := &webhook.Deliverer{URL: "http://" + addr + "/hook", Secret: rc.secret, State: state,
		Client:     webhook.NewClient(gongshi.WebhookPolicy{AllowPrivate: true}), // the receiver is on loopback
		MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		Source: func(ctx context.Context, after int64) ([]*gongshi.FeedEvent, error) {
			p, err := st.Svc.Events(ctx, gongshi.FeedQuery{After: after, Limit: 100, Subjects: watched})
			if err != nil {
				return nil, err
			}
			return p.Events, nil
		}}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()

	publish := func(i int) int64 {
		v, err := st.Svc.Publish(ctx, reg, codes[i], storetest.Penalty(fmt.Sprintf("沪市监浦处〔2026〕%d号", 300+i)))
		if err != nil {
			t.Fatal(err)
		}
		return v.LogIndex
	}
	want := []int64{0, 2} // the registrations of codes 0 and 2
	want = append(want, publish(0), publish(2))
	publish(1) // not watched
	var got []int64
	for len(got) < len(want) {
		got = append(got, <-rc.got)
	}

	// The receiver goes down; changes go on; once it is back, they arrive.
	acked(ctx, state, want[len(want)-1])
	rc.hs.Close()
	i2 := publish(2)
	publish(1) // not watched
	want = append(want, i2, publish(0))
	<-state.failed // two attempts failed while it was down
	<-state.failed
	rc.start(addr)
	for len(got) < len(want) {
		got = append(got, <-rc.got)
	}
	acked(ctx, state, want[len(want)-1])
	cancel()
	<-done
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("received %v, want %v: each watched change once, in order", got, want)
	}
	select {
	case extra := <-rc.got:
		t.Errorf("received %d again", extra)
	default:
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	var fails, oks int
	for _, l := range state.log {
		if l.OK {
			oks++
		} else {
			fails++
			if l.Error == "" {
				t.Errorf("a failed attempt without its error: %+v", l)
			}
		}
	}
	if oks != len(want) || fails < 2 {
		t.Errorf("delivery log: %d acknowledged (want %d), %d failed (want 2 or more)", oks, len(want), fails)
	}
}

// acked waits until the deliverer has recorded the acknowledgement of index i (a receiver
// that goes down between taking an event and acknowledging it gets it again: it tells the
// two apart by the index, as the package says).
func acked(ctx context.Context, s *memState, i int64) {
	for n, _ := s.Delivered(ctx); n != i; n, _ = s.Delivered(ctx) {
		time.Sleep(time.Millisecond)
	}
}
