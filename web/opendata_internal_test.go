package web

import "testing"

func TestByteSizeAndGrouped(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1726: "1.7 kB", 999_949: "999.9 kB",
		999_950: "1.0 MB", 103_287_113: "103.3 MB", 5_902_516_224: "5.9 GB", 1_200_000_000_000: "1.2 TB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{0: "0", 100: "100", 1000: "1,000", 246_573: "246,573", 10_367_839: "10,367,839", -1234: "-1,234"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}
