package schema

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Session is the pseudo-type of statements that only set up a session
// (pg_dump's SET lines); export schema drops them.
const Session ObjectType = "SESSION"

// Classify returns the object type a statement belongs to and the name of
// the object it creates or alters.
func Classify(n *pg_query.Node) (ObjectType, string) {
	switch s := n.Node.(type) {
	case *pg_query.Node_VariableSetStmt:
		return Session, ""
	case *pg_query.Node_SelectStmt:
		if isSetConfig(s.SelectStmt) {
			return Session, ""
		}
	case *pg_query.Node_CreateSchemaStmt:
		return Schema, s.CreateSchemaStmt.Schemaname
	case *pg_query.Node_CreateExtensionStmt:
		return Extension, s.CreateExtensionStmt.Extname
	case *pg_query.Node_CreateEnumStmt:
		return Type, QualifiedName(s.CreateEnumStmt.TypeName)
	case *pg_query.Node_CompositeTypeStmt:
		return Type, RangeVarName(s.CompositeTypeStmt.Typevar)
	case *pg_query.Node_CreateRangeStmt:
		return Type, QualifiedName(s.CreateRangeStmt.TypeName)
	case *pg_query.Node_DefineStmt:
		return classifyDefine(s.DefineStmt)
	case *pg_query.Node_CreateDomainStmt:
		return Domain, QualifiedName(s.CreateDomainStmt.Domainname)
	case *pg_query.Node_CreateSeqStmt:
		return Sequence, RangeVarName(s.CreateSeqStmt.Sequence)
	case *pg_query.Node_AlterSeqStmt:
		return Sequence, RangeVarName(s.AlterSeqStmt.Sequence)
	case *pg_query.Node_CreateStmt:
		if s.CreateStmt.Partbound != nil {
			return Partition, RangeVarName(s.CreateStmt.Relation)
		}
		return Table, RangeVarName(s.CreateStmt.Relation)
	case *pg_query.Node_AlterTableStmt:
		return classifyAlterTable(s.AlterTableStmt)
	case *pg_query.Node_IndexStmt:
		return Index, qualify(schemaOf(s.IndexStmt.Relation), s.IndexStmt.Idxname)
	case *pg_query.Node_CreateFunctionStmt:
		if s.CreateFunctionStmt.IsProcedure {
			return Procedure, QualifiedName(s.CreateFunctionStmt.Funcname)
		}
		return Function, QualifiedName(s.CreateFunctionStmt.Funcname)
	case *pg_query.Node_ViewStmt:
		return View, RangeVarName(s.ViewStmt.View)
	case *pg_query.Node_CreateTableAsStmt:
		if s.CreateTableAsStmt.Objtype == pg_query.ObjectType_OBJECT_MATVIEW {
			return MView, RangeVarName(s.CreateTableAsStmt.Into.GetRel())
		}
		return Table, RangeVarName(s.CreateTableAsStmt.Into.GetRel())
	case *pg_query.Node_RefreshMatViewStmt:
		return MView, RangeVarName(s.RefreshMatViewStmt.Relation)
	case *pg_query.Node_CreateTrigStmt:
		return Trigger, s.CreateTrigStmt.Trigname + " ON " + RangeVarName(s.CreateTrigStmt.Relation)
	case *pg_query.Node_CreatePolicyStmt:
		return Policy, s.CreatePolicyStmt.PolicyName + " ON " + RangeVarName(s.CreatePolicyStmt.Table)
	case *pg_query.Node_CommentStmt:
		return Comment, strings.TrimPrefix(s.CommentStmt.Objtype.String(), "OBJECT_") + " " + commentTarget(s.CommentStmt.Object)
	case *pg_query.Node_AlterEnumStmt:
		return Type, QualifiedName(s.AlterEnumStmt.TypeName)
	case *pg_query.Node_AlterDomainStmt:
		return Domain, QualifiedName(s.AlterDomainStmt.TypeName)
	case *pg_query.Node_CreateForeignTableStmt:
		return Uncategorized, RangeVarName(s.CreateForeignTableStmt.BaseStmt.GetRelation())
	}
	return Uncategorized, ""
}

func classifyDefine(d *pg_query.DefineStmt) (ObjectType, string) {
	name := QualifiedName(d.Defnames)
	switch d.Kind {
	case pg_query.ObjectType_OBJECT_TYPE:
		return Type, name
	case pg_query.ObjectType_OBJECT_COLLATION:
		return Collation, name
	}
	return Uncategorized, name
}

func classifyAlterTable(a *pg_query.AlterTableStmt) (ObjectType, string) {
	name := RangeVarName(a.Relation)
	switch a.Objtype {
	case pg_query.ObjectType_OBJECT_INDEX:
		return Index, name // ALTER INDEX ... ATTACH PARTITION belongs with the indexes
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		return Sequence, name
	case pg_query.ObjectType_OBJECT_VIEW:
		return View, name
	case pg_query.ObjectType_OBJECT_MATVIEW:
		return MView, name
	case pg_query.ObjectType_OBJECT_TYPE:
		return Type, name
	case pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
		return Uncategorized, name
	}
	for _, c := range a.Cmds {
		cmd := c.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		switch cmd.Subtype {
		case pg_query.AlterTableType_AT_AttachPartition:
			if pc := cmd.Def.GetPartitionCmd(); pc != nil && pc.Name != nil {
				return Partition, RangeVarName(pc.Name)
			}
			return Partition, name
		case pg_query.AlterTableType_AT_EnableRowSecurity, pg_query.AlterTableType_AT_ForceRowSecurity:
			return Policy, name
		}
	}
	return Table, name
}

func isSetConfig(s *pg_query.SelectStmt) bool {
	if s == nil || len(s.TargetList) != 1 || s.FromClause != nil {
		return false
	}
	rt := s.TargetList[0].GetResTarget()
	if rt == nil || rt.Val == nil {
		return false
	}
	fc := rt.Val.GetFuncCall()
	if fc == nil {
		return false
	}
	name := QualifiedName(fc.Funcname)
	return name == "set_config" || name == "pg_catalog.set_config"
}

// RangeVarName is schema.name of a relation reference.
func RangeVarName(rv *pg_query.RangeVar) string {
	if rv == nil {
		return ""
	}
	return qualify(rv.Schemaname, rv.Relname)
}

func schemaOf(rv *pg_query.RangeVar) string {
	if rv == nil {
		return ""
	}
	return rv.Schemaname
}

func qualify(schema, name string) string {
	if schema == "" || name == "" {
		return name
	}
	return schema + "." + name
}

// QualifiedName joins a list of String nodes (a qualified name) with dots.
func QualifiedName(parts []*pg_query.Node) string {
	var s []string
	for _, p := range parts {
		if str := p.GetString_(); str != nil {
			s = append(s, str.Sval)
		}
	}
	return strings.Join(s, ".")
}

// commentTarget names the object a COMMENT ON statement is about.
func commentTarget(n *pg_query.Node) string {
	if n == nil {
		return ""
	}
	if l := n.GetList(); l != nil {
		return QualifiedName(l.Items)
	}
	if str := n.GetString_(); str != nil {
		return str.Sval
	}
	return ""
}
