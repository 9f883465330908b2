package sqlname

import "testing"

func TestQuote(t *testing.T) {
	cases := map[string]string{`a`: `"a"`, `Mixed Case`: `"Mixed Case"`, `we"ird`: `"we""ird"`, `select`: `"select"`}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
	if got := (Table{Schema: "s.x", Name: `t"`}).Quoted(); got != `"s.x"."t"""` {
		t.Errorf("Quoted = %s", got)
	}
}

func TestPatterns(t *testing.T) {
	ps := ParseList(`public.orders, ev*,"Mixed Case",sales.*, "a,b"`)
	if len(ps) != 5 {
		t.Fatalf("parsed %d patterns: %+v", len(ps), ps)
	}
	cases := []struct {
		p    int
		t    Table
		want bool
	}{
		{0, Table{"public", "orders"}, true},
		{0, Table{"sales", "orders"}, false},
		{0, Table{"public", "ORDERS"}, true}, // unquoted: case-insensitive
		{1, Table{"x", "events"}, true},
		{2, Table{"public", "Mixed Case"}, true},
		{2, Table{"public", "mixed case"}, false}, // quoted: exact
		{3, Table{"sales", "anything"}, true},
		{4, Table{"public", "a,b"}, true},
	}
	for _, c := range cases {
		if got := ps[c.p].Matches(c.t); got != c.want {
			t.Errorf("%q matches %v = %v, want %v", ps[c.p].Raw, c.t, got, c.want)
		}
	}
	if ps[0].IsGlob() || !ps[1].IsGlob() {
		t.Error("IsGlob wrong")
	}
}

func TestFileStemIsSafe(t *testing.T) {
	if got := (Table{"public", "a/b c"}).FileStem(); got != "public.a_b_c" {
		t.Errorf("FileStem = %q", got)
	}
}
