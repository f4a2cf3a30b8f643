// Package translog is gongshi's tamper-evident Merkle log (SPEC §9): the leaves that name
// published record versions, the stored hashes that a database keeps beside them, signed
// checkpoints, the HTTP read API and an auditor.
//
// The log is an RFC 6962 Merkle tree as implemented by golang.org/x/mod/sumdb/tlog, served
// in the C2SP tlog-tiles layout (https://c2sp.org/tlog-tiles) with C2SP tlog-checkpoint
// checkpoints (https://c2sp.org/tlog-checkpoint) signed as C2SP signed notes
// (https://c2sp.org/signed-note) with an Ed25519 key made by note.GenerateKey.
//
// # Leaves
//
// Leaf i of the log is the canonical JSON of a [Leaf] (see [Leaf.MarshalCanonical]); its
// leaf hash is tlog.RecordHash(leaf) = SHA-256(0x00 || leaf). A leaf names one record version
// and carries the lowercase hex SHA-256 of that version's canonical document, served by the
// register at GET /api/v1/documents/{sha256}.
//
// # Storage
//
// A [Store] keeps only bytes: leaf i under key i, and the tlog "stored hashes" under their
// stored hash index (tlog.StoredHashIndex). Appending leaves n, n+1, … writes exactly the
// hashes with stored indexes StoredHashIndex(0, n) up to, but not including,
// tlog.StoredHashCount(n+k): a dense, gap-free sequence, so a table keyed by the index (or an
// array) holds them. An [Appender] computes those hashes from a cached right edge of the
// tree, without reading the store. [MemStore] is an in-memory Store; package translogtest
// holds the conformance test every Store must pass.
//
// # HTTP
//
// [NewHandler] serves, under /log/:
//
//	GET /log/checkpoint                 the latest signed checkpoint (text/plain)
//	GET /log/key                        the note verifier key, one line; or the key list (Key)
//	GET /log/tile/<L>/<N>[.p/<W>]       Merkle tiles of height 8 (application/octet-stream)
//	GET /log/tile/entries/<N>[.p/<W>]   entry bundles (application/octet-stream)
//
// [Client] reads that API, and [Audit] checks a whole log against its checkpoint, its
// documents and a previously seen checkpoint.
package translog
