package ddl

import "strings"

// Kind names what a statement is, from its first words: "CREATE TABLE",
// "ALTER TABLE", "CREATE PACKAGE BODY", "COMMENT", "INSERT", ...; "" when
// the reader does not know it.
type Kind string

// Kinds the converter acts on.
const (
	CreateTable            Kind = "CREATE TABLE"
	CreateIndex            Kind = "CREATE INDEX"
	AlterTable             Kind = "ALTER TABLE"
	CreateSequence         Kind = "CREATE SEQUENCE"
	CreateView             Kind = "CREATE VIEW"
	CreateMaterializedView Kind = "CREATE MATERIALIZED VIEW"
	CreateSynonym          Kind = "CREATE SYNONYM"
	CreateProcedure        Kind = "CREATE PROCEDURE"
	CreateFunction         Kind = "CREATE FUNCTION"
	CreatePackage          Kind = "CREATE PACKAGE"
	CreatePackageBody      Kind = "CREATE PACKAGE BODY"
	CreateTrigger          Kind = "CREATE TRIGGER"
	CreateType             Kind = "CREATE TYPE"
	CreateTypeBody         Kind = "CREATE TYPE BODY"
	Comment                Kind = "COMMENT"
	AnonymousBlock         Kind = "PL/SQL BLOCK"
)

// modifiers may stand between CREATE and the object type.
var modifiers = map[string]bool{
	"OR": true, "REPLACE": true, "EDITIONABLE": true, "NONEDITIONABLE": true, "EDITIONING": true,
	"FORCE": true, "NOFORCE": true, "NO": true, "GLOBAL": true, "PRIVATE": true, "TEMPORARY": true,
	"SHARDED": true, "DUPLICATED": true, "BLOCKCHAIN": true, "IMMUTABLE": true, "PUBLIC": true,
	"UNIQUE": true, "BITMAP": true, "MULTIVALUE": true, "SECURE": true, "IF": true, "NOT": true, "EXISTS": true,
}

// Classify names a statement from its first words (upper case).
func Classify(words []string) Kind {
	if len(words) == 0 {
		return ""
	}
	switch words[0] {
	case "DECLARE", "BEGIN":
		return AnonymousBlock
	case "CREATE", "ALTER", "DROP":
		i := 1
		for i < len(words) && modifiers[words[i]] {
			i++
		}
		if i >= len(words) {
			return ""
		}
		obj := words[i]
		switch {
		case obj == "MATERIALIZED" && i+1 < len(words) && words[i+1] == "VIEW":
			if i+3 < len(words) && words[i+2] == "LOG" {
				return Kind(words[0] + " MATERIALIZED VIEW LOG")
			}
			obj = "MATERIALIZED VIEW"
		case (obj == "PACKAGE" || obj == "TYPE") && i+1 < len(words) && words[i+1] == "BODY":
			obj += " BODY"
		case obj == "DATABASE" && i+1 < len(words) && words[i+1] == "LINK":
			obj = "DATABASE LINK"
		}
		return Kind(words[0] + " " + obj)
	case "COMMENT", "INSERT", "UPDATE", "DELETE", "MERGE", "GRANT", "REVOKE", "COMMIT", "ROLLBACK", "SAVEPOINT", "TRUNCATE", "SELECT", "WITH", "CALL", "LOCK", "ANALYZE", "AUDIT", "NOAUDIT", "PURGE", "RENAME", "FLASHBACK", "EXPLAIN":
		return Kind(words[0])
	case "SET":
		return Kind("SET " + strings.Join(words[1:min(2, len(words))], ""))
	}
	return ""
}

// isPLSQL: a PL/SQL unit, which ends at a "/" line, not at a semicolon.
func isPLSQL(words []string) bool {
	switch Classify(words) {
	case CreateProcedure, CreateFunction, CreatePackage, CreatePackageBody, CreateTrigger, CreateType, CreateTypeBody, AnonymousBlock,
		"CREATE LIBRARY", "CREATE JAVA":
		return true
	}
	return false
}
