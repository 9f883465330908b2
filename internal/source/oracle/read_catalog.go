package oracle

import (
	"context"
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// readCatalog reads owner's DDL from a live catalog into the statements
// the converter takes, as if it were one script: each object's text goes
// through the same reader as a --source-ddl-file, labelled with the call
// that produced it so that a note names the object. An object that cannot
// be read is a note and the rest go on; it fails only when the objects
// cannot be listed, or when there are objects and none can be read (a
// missing grant, explained).
func readCatalog(ctx context.Context, cat Catalog, owner string, comments bool) ([]ddl.Statement, []schema.Note, error) {
	objs, err := cat.Objects(ctx, owner)
	if err != nil {
		return nil, nil, err
	}
	if comments {
		objs = withComments(objs)
	}
	var stmts []ddl.Statement
	var notes []schema.Note
	var firstErr error
	read := 0
	for _, obj := range objs {
		text, err := cat.DDL(ctx, owner, obj)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			if firstErr == nil {
				firstErr = err
			}
			notes = append(notes, schema.Note{Object: obj.Type + " " + obj.Name, Reason: fmt.Sprintf("its DDL could not be read (%v); skipped", err)})
			continue
		}
		read++
		label := fmt.Sprintf("DBMS_METADATA %s %s.%s", obj.Type, owner, obj.Name)
		st, dirs, finds := ddl.Split(label, []byte(text))
		stmts = append(stmts, st...)
		for _, fd := range finds {
			notes = append(notes, schema.Note{Object: obj.Type + " " + obj.Name, Reason: fmt.Sprintf("%s line %d: %s", label, fd.Line, fd.Msg)})
		}
		if len(dirs) > 0 {
			notes = append(notes, schema.Note{Object: obj.Type + " " + obj.Name, Reason: "SQL*Plus commands in its DDL skipped: " + directiveSummary(dirs)})
		}
	}
	if read == 0 && firstErr != nil {
		return nil, notes, firstErr
	}
	return stmts, notes, nil
}

// withComments adds, after everything else, the comments on each table and
// view (DBMS_METADATA reads them as the object's dependent DDL).
func withComments(objs []CatalogObject) []CatalogObject {
	out := append([]CatalogObject(nil), objs...)
	for _, o := range objs {
		if o.Type == "TABLE" || o.Type == "VIEW" || o.Type == "MATERIALIZED_VIEW" {
			out = append(out, CatalogObject{Type: "COMMENT", Name: o.Name})
		}
	}
	return out
}
