package http

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gongshi/gongshi"
)

// Watches (gongshi watch.go): an account's sets of enterprises whose changes are POSTed to
// its webhook URL (package webhook; gongshi serve delivers).

// watchBodyBytes caps the body of POST /api/v1/watches: 100,000 USCCs as JSON are about
// 2.1 MB, more than the other routes' limit.
const watchBodyBytes = 4 << 20

// limitBodies caps request bodies: Options.MaxBodyBytes, or watchBodyBytes for a new watch.
func (s *Server) limitBodies(h http.Handler) http.Handler {
	small := LimitBody(s.Options.MaxBodyBytes, s.tooLarge, h)
	big := LimitBody(max(s.Options.MaxBodyBytes, watchBodyBytes), s.tooLarge, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == "/api/v1/watches" {
			big.ServeHTTP(w, r)
			return
		}
		small.ServeHTTP(w, r)
	})
}

func (s *Server) watchRoutes() []*route {
	after := Param{"after", "The last log index already read: entries from the next one on. Leave it out to start from the first.", intSchema(0, 1<<53-1)}
	return []*route{
		{Method: "POST", Path: "/api/v1/watches", serve: s.createWatch, Auth: true, Tag: "open data", Private: true,
			Summary: "Watch enterprises: their changes are POSTed to a URL",
			Description: fmt.Sprintf("Any account. Every change of the feed (GET /api/v1/changes) about one of `enterprises` (1 to %d USCCs; the body may be up to %d bytes) is POSTed to `url` (http or https, without credentials; its host must resolve to public addresses only, unless the server allows private ones, and is checked again at each connection), one FeedEvent per request, in log order, "+
				"with the headers `Gongshi-Log-Index` and `Gongshi-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256(secret, \"<t>.<body>\")>`. "+
				"A 2xx answer acknowledges it; anything else is retried with exponential backoff (1 s doubling to 10 min) and the next change waits: none is skipped. A change already acknowledged can come again if its acknowledgement was lost: tell them apart by the log index. "+
				"The answer shows `secret` (hex; its bytes as written are the HMAC key) this once.", gongshi.MaxWatchEnterprises, watchBodyBytes),
			Request: "NewWatch", Status: 201, Response: "Watch"},
		{Method: "GET", Path: "/api/v1/watches", serve: s.watches, Auth: true, Tag: "open data",
			Summary: "The account's watches", Description: "Without their secrets; `delivered` is the log index acknowledged up to (-1: none yet).",
			Status: 200, Response: "WatchList"},
		{Method: "DELETE", Path: "/api/v1/watches/{watch}", serve: s.deleteWatch, Auth: true, Tag: "open data",
			Summary: "Delete a watch", Description: "Its deliveries stop and its delivery log is deleted.",
			Status: 204},
		{Method: "GET", Path: "/api/v1/watches/{watch}/deliveries", serve: s.watchDeliveries, Auth: true, Tag: "open data",
			Summary:     "A watch's delivery log",
			Description: "Every attempt at delivering each change, oldest first: the receiver's status or the error. Resume with `after` set to the last `log_index` read.",
			Query: []Param{after,
				{"limit", "Changes per page (each with all its attempts), 1–1000 (default 100).", intSchema(1, 1000)}},
			Status: 200, Response: "DeliveryList"},
		{Method: "GET", Path: "/api/v1/watches/{watch}/changes", serve: s.watchChanges, Auth: true, Tag: "open data",
			Summary:     "A watch's enterprises as a feed",
			Description: "The change feed (GET /api/v1/changes) filtered by the watch's enterprises, as JSON Lines; resume with `after` set to `Gongshi-Next-After`. The server finds the enterprises' entries by the enterprises, without reading the rest of the log: a watch of a few thousand enterprises gets their whole history from the first pages, however long the log.",
			Query: []Param{after,
				{"limit", fmt.Sprintf("Events per page, 1–%d (default %d).", gongshi.MaxFeedLimit, gongshi.DefaultFeedLimit), intSchema(1, gongshi.MaxFeedLimit)}},
			Status: 200, Response: "FeedEvent", ContentType: "application/x-ndjson"},
	}
}

func watchSchemas() schema {
	watch := schema{
		"id":          strSchema(""),
		"url":         strSchema("Where the changes are POSTed."),
		"enterprises": schema{"type": "integer", "description": "How many enterprises it names."},
		"delivered":   schema{"type": "integer", "minimum": -1, "description": "The log index acknowledged up to; -1: none yet."},
		"created_at":  fmtSchema("date-time", ""),
	}
	created := schema{"secret": strSchema("The HMAC key, shown only in the answer to its creation.")}
	for k, v := range watch {
		created[k] = v
	}
	return schema{
		"NewWatch": obj("A watch to create.", req("url", "enterprises"), schema{
			"url":         strSchema("An absolute http or https URL without user:password@, whose host resolves to public addresses (not loopback, private, link-local, multicast or unspecified; gongshi serve --webhook-private allows private ones)."),
			"enterprises": schema{"type": "array", "minItems": 1, "maxItems": gongshi.MaxWatchEnterprises, "items": strSchema("A USCC."), "description": "The enterprises watched, by USCC."},
		}),
		"Watch":     obj("A watch.", req("id", "url", "enterprises", "delivered", "created_at"), created),
		"WatchList": obj("", req("watches"), schema{"watches": arr(obj("A watch, without its secret.", req("id", "url", "enterprises", "delivered", "created_at"), watch))}),
		"DeliveryList": obj("", req("deliveries"), schema{"deliveries": arr(obj("One attempt.", req("log_index", "attempt", "at", "ok"), schema{
			"log_index": schema{"type": "integer", "minimum": 0},
			"attempt":   schema{"type": "integer", "minimum": 1},
			"at":        fmtSchema("date-time", "When it was sent."),
			"status":    schema{"type": "integer", "description": "The receiver's HTTP status; absent when none came."},
			"error":     strSchema("Why it failed."),
			"ok":        schema{"type": "boolean", "description": "Acknowledged (2xx)."},
		}))}),
	}
}

func (s *Server) createWatch(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.NewWatch
	if err := decode(r, &in); err != nil {
		return err
	}
	wt, err := s.Service.CreateWatch(r.Context(), accountFrom(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/watches/"+wt.ID+"/deliveries")
	writeJSON(w, http.StatusCreated, wt)
	return nil
}

func (s *Server) watches(w http.ResponseWriter, r *http.Request) error {
	ws, err := s.Service.ListWatches(r.Context(), accountFrom(r.Context()))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"watches": ws})
	return nil
}

func (s *Server) deleteWatch(w http.ResponseWriter, r *http.Request) error {
	if err := s.Service.DeleteWatch(r.Context(), accountFrom(r.Context()), r.PathValue("watch")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) watchDeliveries(w http.ResponseWriter, r *http.Request) error {
	after, limit := int64(-1), 100
	if a := r.URL.Query().Get("after"); a != "" {
		after, _ = strconv.ParseInt(a, 10, 64) // checked against the route's schema
	}
	if l := r.URL.Query().Get("limit"); l != "" {
		limit, _ = strconv.Atoi(l)
	}
	ds, err := s.Service.WatchDeliveries(r.Context(), accountFrom(r.Context()), r.PathValue("watch"), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
	return nil
}

func (s *Server) watchChanges(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("watch")
	if _, err := s.Service.OwnWatch(r.Context(), accountFrom(r.Context()), id); err != nil {
		return err
	}
	subjects, err := s.Service.Store.WatchSubjects(r.Context(), id)
	if err != nil {
		return err
	}
	q := gongshi.FeedQuery{After: -1, Subjects: subjects}
	if a := r.URL.Query().Get("after"); a != "" {
		q.After, _ = strconv.ParseInt(a, 10, 64)
	}
	if l := r.URL.Query().Get("limit"); l != "" {
		q.Limit, _ = strconv.Atoi(l)
	}
	return s.feedPage(w, r, q)
}
