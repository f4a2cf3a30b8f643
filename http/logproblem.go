package http

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/gongshi/gongshi"
)

// problemWriter passes a handler's successful answer through and holds back an error
// answer (status 400 or more), so that it can be sent as a problem instead of the
// handler's plain text.
type problemWriter struct {
	http.ResponseWriter
	status int          // the error status held back; 0 while none
	text   bytes.Buffer // the error's text
}

func (w *problemWriter) WriteHeader(status int) {
	if status >= 400 {
		w.status = status
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *problemWriter) Write(b []byte) (int, error) {
	if w.status != 0 {
		return w.text.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// err is the error held back as a gongshi error, nil if none: a 400 is EINVALID about the
// path, a 404 ENOTFOUND, anything else internal (the handler has logged it).
func (w *problemWriter) err() error {
	msg := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(w.text.String()), "translog: "))
	switch {
	case w.status == 0:
		return nil
	case w.status == http.StatusBadRequest:
		return gongshi.Invalid("path", msg, "tile paths are <L>/<N>[.p/<W>] and entries/<N>[.p/<W>], N in the x-prefixed form of C2SP tlog-tiles")
	case w.status == http.StatusNotFound:
		return &gongshi.Error{Code: gongshi.ENOTFOUND, Message: msg, Fix: "read /log/checkpoint: tiles exist only within the latest checkpoint"}
	}
	return gongshi.Errorf(gongshi.EINTERNAL, "log handler answered %d: %s", w.status, msg)
}
