package http

import (
	"net/http"
)

// ReadOnly serves h for reads only: every other method is answered 405 with a problem
// saying that this server is a read-only mirror of source (gongshi mirror), which takes
// writes. A mirror publishes nothing of its own: its log is the source's, entry for entry.
func ReadOnly(h http.Handler, source string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Allow", "GET, HEAD")
		writeProblem(w, &Problem{Type: ProblemTypePrefix + probMethod, Title: http.StatusText(http.StatusMethodNotAllowed),
			Status: http.StatusMethodNotAllowed,
			Detail: "this server is a read-only mirror of " + source + ": it publishes nothing of its own",
			Fix:    "send writes (and logins) to " + source})
	})
}
