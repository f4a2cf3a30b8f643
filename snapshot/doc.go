// Package snapshot writes, lists and verifies gongshi's bulk snapshots (SPEC §12, open
// data): the whole public register as of one signed checkpoint of its log, in files that
// spreadsheets and programs read.
//
// # Layout
//
// A snapshot is a directory named <YYYYMMDD>T<HHMMSS>Z-<size> (its UTC time and the size of
// its checkpoint, so names sort by time) holding:
//
//	manifest.json          what is below, and the signed checkpoint
//	versions.jsonl.gz      every version of the log, one JSON object per line (JSON Lines)
//	enterprises.csv.gz     the current state of every enterprise (UTF-8 with BOM, Chinese headers)
//	lists.csv.gz           every entry of the abnormal-operations and serious-violation lists
//	enterprises.parquet    enterprises.csv.gz's rows as Parquet, typed (EnterpriseRow)
//	lists.parquet          lists.csv.gz's rows as Parquet, typed (ListRow)
//	draws.jsonl.gz         the texts of the spot-check draws: {"number", "which", "text"} a line,
//	                       which is population, roster or result, each named by digest in
//	                       the draw's documents
//
// The .gz files are gzip-compressed (RFC 1952); the Parquet files compress their pages with
// zstd, in row groups of 25,000 rows, with field names as the API's JSON has them. A
// snapshot is written under a temporary name and renamed into place whole, so a listed
// snapshot is complete.
//
// # versions.jsonl.gz
//
// Line i (from 0) is leaf i of the log: every version with log index below the
// checkpoint's size, in log order, as the change feed (GET /api/v1/changes) gives it — one
// gongshi.FeedEvent, written by FeedEvent.AppendJSON, a line:
//
//	log_index            the version's index in the log
//	kind                 record kind ("registration", "penalty", …; "draw" for spot-check draws)
//	subject              the enterprise's USCC (a draw's jurisdiction)
//	record, version      the record's id and the version's number, from 1
//	published_at         UTC, to the microsecond (translog.TimeLayout)
//	sha256               the SHA-256 of the version's document, lowercase hex
//	document             the document: exactly the bytes that hash to sha256 (canonical JSON,
//	                     as GET /api/v1/documents/{sha256} serves them)
//	withdrawn            {"at", "reason"} instead of document, for a version withdrawn from
//	                     public view (as the register stands when the snapshot is written)
//
// kind, subject, record, version, published_at and sha256 are the members of the version's
// log leaf (translog.Leaf), so every line, with or without its document, gives its leaf.
//
// # manifest.json
//
//	{"format": "gongshi-snapshot/1", "name": …, "created_at": …, "origin": …,
//	 "size": N, "root": "<base64>", "checkpoint": "<the signed note, as /log/checkpoint served it>",
//	 "files": [{"name", "sha256", "bytes", "rows", "content_type"}, …]}
//
// # Verifying
//
// [Verify] checks a snapshot against its log's key: the checkpoint's signature, each file's
// length and SHA-256 against the manifest, every document against its line's sha256 and
// leaf members, that the lines are the leaves 0 … N-1, and that the Merkle tree of those
// leaves has the checkpoint's root, and each draw text against the digest its draw's
// documents name. The CSV and Parquet files are views made from the same documents;
// the manifest that names their hashes is not itself signed.
package snapshot
