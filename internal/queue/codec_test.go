package queue

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCodecRoundTripAndJSONCompatible(t *testing.T) {
	weird := "tab\there \"q\" back\\slash\nnl \x01 ünï ✓ \\N"
	bad := string([]byte{0xff, 'a'})
	e := &Event{Seq: 42, Op: OpUpdate, Schema: `s"c`, Table: "t t", At: "0/16B3748", TxTime: 1700000000000000,
		Key: RowOf(map[string]*string{"id": str("7")}), New: RowOf(map[string]*string{"a": &weird, "b": nil, "c": str(""), "d": &bad}),
		Values: []CutoverValue{{Sequence: `"public"."s"`, Value: 9}, {Table: `"public"."t"`, Column: "id", Value: 41}}}
	line, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(line)
	if err != nil {
		t.Fatalf("decode %s: %v", line, err)
	}
	*e.New.Value("d") = "\ufffda" // invalid UTF-8 is replaced, as encoding/json does
	if !reflect.DeepEqual(got, e) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, e)
	}
	var viaStd Event
	if err := json.Unmarshal(line, &viaStd); err != nil || !reflect.DeepEqual(&viaStd, e) {
		t.Fatalf("encoding/json reads it differently: %v %+v", err, viaStd)
	}
	std, _ := json.Marshal(e)
	if got, err := Decode(std); err != nil || !reflect.DeepEqual(got, e) {
		t.Fatalf("decoding encoding/json output: %v %+v", err, got)
	}
}

// TestDecodeLegacyEndMarker: end markers written by earlier releases (an
// LSN, a map of sequences, a list of identities) read as today's.
func TestDecodeLegacyEndMarker(t *testing.T) {
	got, err := Decode([]byte(`{"seq":9,"op":"E","lsn":"0/1A2B","sequences":{"\"public\".\"b\"":2,"\"public\".\"a\"":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Event{Seq: 9, Op: OpEnd, At: "0/1A2B",
		Values: []CutoverValue{{Sequence: `"public"."a"`, Value: 1}, {Sequence: `"public"."b"`, Value: 2}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	got, err = Decode([]byte(`{"seq":3,"op":"E","identities":[{"table":"\"public\".\"t\"","column":"id","value":41}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want = &Event{Seq: 3, Op: OpEnd, Values: []CutoverValue{{Table: `"public"."t"`, Column: "id", Value: 41}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func BenchmarkDecode(b *testing.B) {
	v := "some value 12345"
	line, _ := Encode(&Event{Seq: 1, Op: OpInsert, Schema: "public", Table: "t",
		New: RowOf(map[string]*string{"id": &v, "a": &v, "b": &v, "c": &v}), TxTime: 1})
	for i := 0; i < b.N; i++ {
		if _, err := Decode(line); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeInterned(b *testing.B) {
	v := "some value 12345"
	line, _ := Encode(&Event{Seq: 1, Op: OpInsert, Schema: "public", Table: "t",
		New: RowOf(map[string]*string{"id": &v, "a": &v, "b": &v, "c": &v}), TxTime: 1})
	d := decoder{names: &interner{}}
	s := string(line)
	for b.Loop() {
		if _, err := d.decode(s); err != nil {
			b.Fatal(err)
		}
	}
}

// TestKeptDecoderFollowsChangingColumns: a decoder that is kept across
// events reuses the previous event's column list only when the names match
// exactly; rows with other, fewer or more columns decode to their own.
func TestKeptDecoderFollowsChangingColumns(t *testing.T) {
	v := func(s string) *string { return &s }
	events := []*Event{
		{Seq: 1, Op: OpInsert, Schema: "public", Table: "t", New: RowOf(map[string]*string{"a": v("1"), "b": v("x"), "id": v("1")})},
		{Seq: 2, Op: OpUpdate, Schema: "public", Table: "t", Key: RowOf(map[string]*string{"id": v("1")}),
			New: RowOf(map[string]*string{"a": v("2"), "id": v("1")})}, // b unchanged (TOAST): absent
		{Seq: 3, Op: OpInsert, Schema: "public", Table: "t", New: RowOf(map[string]*string{"a": v("3"), "b": nil, "id": v("2")})},
		{Seq: 4, Op: OpInsert, Schema: "s", Table: "u", New: RowOf(map[string]*string{"a": v("4"), "c": v("y"), "id": v("3")})},
		{Seq: 5, Op: OpDelete, Schema: "public", Table: "t", Key: RowOf(map[string]*string{"id": v("2")})},
		{Seq: 6, Op: OpInsert, Schema: "public", Table: "t", New: RowOf(map[string]*string{"a": v("5"), "b": v("z"), "id": v("4")})},
	}
	d := decoder{names: &interner{}}
	var got []*Event
	for _, e := range events {
		line, err := Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		de, err := d.decode(string(line))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, de)
	}
	for i, e := range events { // after all decodes: no event was overwritten by a later one
		if !reflect.DeepEqual(got[i].New.Map(), e.New.Map()) || !reflect.DeepEqual(got[i].Key.Map(), e.Key.Map()) ||
			got[i].Schema != e.Schema || got[i].Table != e.Table || got[i].Op != e.Op {
			t.Errorf("event %d: got %+v, want %+v", i+1, got[i], e)
		}
	}
	if !SameColumns(got[0].New, got[5].New) || &got[0].New.Names[0] != &got[5].New.Names[0] {
		t.Error("rows with the same columns do not share one column list")
	}
}
