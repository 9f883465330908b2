package queue

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCodecRoundTripAndJSONCompatible(t *testing.T) {
	weird := "tab\there \"q\" back\\slash\nnl \x01 ünï ✓ \\N"
	bad := string([]byte{0xff, 'a'})
	e := &Event{Seq: 42, Op: OpUpdate, Schema: `s"c`, Table: "t t", LSN: "0/16B3748", TxTime: 1700000000000000,
		Key: RowOf(map[string]*string{"id": str("7")}), New: RowOf(map[string]*string{"a": &weird, "b": nil, "c": str(""), "d": &bad}),
		Sequences: map[string]int64{`"public"."s"`: 9}, Identities: []Identity{{Table: `"public"."t"`, Column: "id", Value: 41}}}
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
