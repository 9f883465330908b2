package queue

import (
	"reflect"
	"testing"
)

func TestMergeKeepsColumnsTheUpdateLeftOut(t *testing.T) {
	v := func(s string) *string { return &s }
	base := RowOf(map[string]*string{"id": v("1"), "big": v("toasted"), "n": v("1")})
	upd := RowOf(map[string]*string{"id": v("1"), "n": v("2")}) // big unchanged: absent
	got := Merge(base, upd)
	want := map[string]*string{"id": v("1"), "big": v("toasted"), "n": v("2")}
	if !reflect.DeepEqual(got.Map(), want) {
		t.Fatalf("Merge = %v, want %v", got.Map(), want)
	}
	if base.Len() != 3 || *base.Value("n") != "1" || upd.Len() != 2 {
		t.Fatal("Merge modified its inputs")
	}
	full := RowOf(map[string]*string{"id": v("1"), "big": v("new"), "n": v("3")})
	if m := Merge(base, full); &m.Vals[0] != &full.Vals[0] {
		t.Error("an update with every column is not used as is")
	}
}
