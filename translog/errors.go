package translog

import "errors"

// Errors reported by this package, always wrapped with context; test with errors.Is.
var (
	// ErrNotFound: no checkpoint yet, or a leaf, hash or tile beyond the tree. A Store
	// returns an error wrapping ErrNotFound in exactly those cases.
	ErrNotFound = errors.New("translog: not found")
	// ErrMalformedLeaf: leaf bytes that are not the canonical JSON of a valid Leaf.
	ErrMalformedLeaf = errors.New("translog: malformed leaf")
	// ErrLeafTooLarge: a leaf longer than MaxLeafSize bytes, which an entry bundle cannot hold.
	ErrLeafTooLarge = errors.New("translog: leaf too large")
	// ErrNotCanonical: a value CanonicalJSON cannot encode (a non-integer or too large
	// number, invalid UTF-8, an unsupported Go type).
	ErrNotCanonical = errors.New("translog: value has no canonical JSON form")
	// ErrMalformedCheckpoint: a checkpoint note whose text is not origin, size and root hash.
	ErrMalformedCheckpoint = errors.New("translog: malformed checkpoint")
	// ErrBadSignature: a checkpoint not signed by the expected key (wraps the note error).
	ErrBadSignature = errors.New("translog: checkpoint signature does not verify")
	// ErrBadOrigin: an origin that cannot be a note key name, or a checkpoint or key whose
	// origin is not the expected one.
	ErrBadOrigin = errors.New("translog: bad origin")
	// ErrBadKey: a signing or verifier key that does not parse.
	ErrBadKey = errors.New("translog: bad key")
	// ErrMalformedTilePath: a path that is not a C2SP tlog-tiles tile or entry bundle path.
	ErrMalformedTilePath = errors.New("translog: malformed tile path")
	// ErrStaleBatch: a Batch committed to an Appender that has moved since the batch began.
	ErrStaleBatch = errors.New("translog: stale batch")
	// ErrInconsistent: the log contradicts itself or an earlier checkpoint: a root that does
	// not match the leaves, a tree that shrank or forked, a tile that does not verify.
	ErrInconsistent = errors.New("translog: log is inconsistent")
	// ErrWithdrawn: a document withdrawn from public view (HTTP 410 Gone); its leaf stays.
	ErrWithdrawn = errors.New("translog: document withdrawn")
	// ErrAuditFailed: an audit that ran to the end but found problems (listed in the report).
	ErrAuditFailed = errors.New("translog: audit failed")
)
