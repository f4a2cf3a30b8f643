// Package draw is the spot-check lottery (随机摇号) of the "double random, one public"
// practice (双随机、一公开; Art. 14 of the Interim Regulations on Enterprise Information
// Disclosure, SPEC §6): which enterprises are checked, and by whom, as a deterministic
// function of published inputs, so that anyone can re-derive a draw. It is a leaf package
// (standard library only). This comment is the specification; a program written from it
// alone must reproduce every draw.
//
// # Inputs
//
// A draw has four inputs, all published:
//
//   - the population: the codes (USCCs) of the enterprises that may be drawn, each a
//     non-empty string of printable ASCII (0x21–0x7E), no duplicates;
//   - the seed: exactly 32 bytes, written as 64 lowercase hexadecimal digits;
//   - k, the sample size, 1 ≤ k ≤ the population's size;
//   - the roster: inspectors, each an id of printable ASCII (0x21–0x7E) and the set of
//     population codes it has declared a conflict of interest with; and n, the number of
//     inspectors per selected enterprise (n ≥ 2 in gongshi).
//
// # Population text and digest
//
// The population text is the codes sorted in ascending byte order, each followed by one
// line feed (0x0A): "91310115MA1K4A0T4Q\n91310115MA1K4A1234\n…". No header, no trailing
// blank line; an empty population is the empty text. The population digest is the
// SHA-256 of the population text, in lowercase hex: `sha256sum population.txt` prints it.
//
// # Roster text and digest
//
// The roster text has one line per inspector, in ascending byte order of the ids: the id,
// then for each conflicted code in ascending byte order a horizontal tab (0x09) and the
// code, then a line feed. The roster digest is the SHA-256 of the roster text, lowercase hex.
//
// # Seed commitment
//
// The commitment is the SHA-256 of the 32 raw seed bytes, lowercase hex. It is published
// before the draw; the seed is revealed at the draw. Anyone checks SHA-256(seed) = commitment.
//
// # Selection
//
// For each code c of the population let key(c) = SHA-256(seed ‖ c), the 32 seed bytes
// followed by the ASCII bytes of c. Sort the codes by key ascending, comparing the 32-byte
// keys as unsigned big-endian numbers (byte by byte), ties (which SHA-256 makes practically
// impossible) broken by the code in ascending byte order. The selection is the first k
// codes in that order; its order is the rank (1 = first) and matters for assignment.
//
// # Assignment
//
// Every inspector starts with load 0. For each selected code c in rank order:
//
//  1. the eligible inspectors are those of the roster without a declared conflict with c;
//     if fewer than n are eligible the draw fails (ErrRoster);
//  2. for each eligible inspector i let h(c, i) = SHA-256(seed ‖ c ‖ 0x00 ‖ i), the seed
//     bytes, the ASCII bytes of c, one zero byte and the ASCII bytes of the id;
//  3. sort the eligible inspectors by (load ascending, h(c, i) ascending as bytes, id
//     ascending) and assign the first n to c, in that order;
//  4. add 1 to the load of each of those n inspectors.
//
// The load therefore never differs by more than one between eligible inspectors, except
// where conflicts force it, and who is paired with whom depends on the seed.
//
// # Selection and assignment texts
//
// The result text has one line per selected code in rank order: the rank in decimal, a tab,
// the code, then for each assigned inspector in assignment order a tab and its id, then a
// line feed. The result digest is the SHA-256 of the result text, lowercase hex.
package draw
