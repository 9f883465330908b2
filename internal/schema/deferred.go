package schema

import pg_query "github.com/pganalyze/pg_query_go/v6"

// Stage says when import creates a statement's object. Everything that only
// slows a bulk load — secondary indexes, unique and exclusion constraints
// (they build indexes), foreign keys (they validate every row) — waits until
// after the data (finalize-schema-post-data-import).
type Stage int

const (
	StageSchema      Stage = iota // import schema
	StageIndexes                  // finalize: build indexes and unique/exclusion constraints, in parallel
	StageAttach                   // finalize: ALTER INDEX ... ATTACH PARTITION, in order
	StageForeignKeys              // finalize: foreign keys, in parallel
)

// StageOf classifies a statement.
func StageOf(st Statement) Stage {
	if st.Node == nil {
		return StageSchema
	}
	switch n := st.Node.Node.(type) {
	case *pg_query.Node_IndexStmt:
		return StageIndexes
	case *pg_query.Node_AlterTableStmt:
		if n.AlterTableStmt.Objtype == pg_query.ObjectType_OBJECT_INDEX {
			return StageAttach
		}
		return alterTableStage(n.AlterTableStmt)
	}
	return StageSchema
}

func alterTableStage(a *pg_query.AlterTableStmt) Stage {
	stage := StageSchema
	for _, c := range a.Cmds {
		cmd := c.GetAlterTableCmd()
		if cmd == nil || cmd.Subtype != pg_query.AlterTableType_AT_AddConstraint {
			return StageSchema // a mixed ALTER keeps its place
		}
		con := cmd.Def.GetConstraint()
		if con == nil {
			return StageSchema
		}
		switch con.Contype {
		case pg_query.ConstrType_CONSTR_FOREIGN:
			stage = max(stage, StageForeignKeys)
		case pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_EXCLUSION:
			stage = max(stage, StageIndexes)
		default:
			return StageSchema
		}
	}
	return stage
}
