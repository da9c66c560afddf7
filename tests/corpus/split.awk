# tests/corpus/split.awk — split verdict-corpus files into one directory per
# definition and per case (format: tests/corpus/README.md).
#
#   awk -v out=DIR -v dialect=postgresql|sqlite -f split.awk FILE...
#
# Writes DIR/defs/DEF/{definition.yaml,up.DIALECT.sql}, DIR/live/CASE.sql (DIR/live
# must exist),
# DIR/cases.tsv (CASE DEF VERDICT OWN-DATABASE EQUIVALENT SCOPE FILE:LINE TODO,
# one line per case), DIR/expect.tsv (CASE "OBJECT KIND", one line per expected
# difference); for PostgreSQL, DIR/live-schemas.sql: every case not in a
# database of its own as one transaction that builds schema c_CASE; for
# SQLite, DIR/live-files.sql, a sqlite3 script that builds DIR/CASE.db for
# every case, and DIR/live-lines.tsv (CASE FIRST-LINE in that script).
# A malformed file is a line "ERROR FILE:LINE: message" on stdout, exit 1.

function fail(msg) {
	printf "ERROR %s:%d: %s\n", FILENAME, FNR, msg
	bad = 1
	exit 1
}

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

# The SQL of a block, without leading and trailing blank lines.
function body(s) { sub(/^\n+/, "", s); sub(/\n+$/, "", s); return s }

function close_def(  d) {
	if (defname == "")
		return
	d = out "/defs/" defname
	system("mkdir -p '" d "'")
	printf "name: %s\nversion_table: none\nrevisions:\n  - id: %s\n    %s:\n      upgrade: up.%s.sql\n",
	    defname, defname, dialect, dialect > (d "/definition.yaml")
	close(d "/definition.yaml")
	printf "%s\n", body(defsql) > (d "/up." dialect ".sql")
	close(d "/up." dialect ".sql")
}

function close_case(  d, live, n, i, lines, verdict, equiv) {
	if (casename == "")
		return
	# "@definition" on a line of its own: the definition's SQL.
	n = split(livesql, lines, "\n")
	live = ""
	for (i = 1; i <= n; i++)
		live = live (trim(lines[i]) == "@definition" ? body(defsql) : lines[i]) "\n"
	live = body(live)
	verdict = casever != "" ? casever : (caseexp != "" ? "drift" : "ok")
	if (verdict == "drift" && caseexp == "")
		fail("case " casename ": a drift case names the objects that differ (-- expect:)")
	if (verdict != "drift" && caseexp != "")
		fail("case " casename ": only a drift case has -- expect: lines")
	d = out "/live/" casename ".sql"
	printf "%s\n", live > d
	close(d)
	# An equivalent spelling: ok, and built by other SQL than the definition's.
	equiv = (verdict == "ok" && live != body(defsql)) ? "1" : "0"
	printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", casename, defname, verdict,
	    caseown != "" ? "1" : "0", equiv, casescope != "" ? casescope : "definition",
	    casewhere, casetodo > (out "/cases.tsv")
	n = split(caseexp, lines, "\n")
	for (i = 1; i < n; i++)
		printf "%s\t%s\n", casename, lines[i] > (out "/expect.tsv")
	# PostgreSQL: one transaction per case, in a schema of its own.
	if (dialect == "postgresql" && caseown == "")
		printf "BEGIN;\nCREATE SCHEMA \"c_%s\";\nSET LOCAL search_path = \"c_%s\";\n%s\n;\nCOMMIT;\n",
		    casename, casename, live > (out "/live-schemas.sql")
	# SQLite: one sqlite3 run opens each case's file in turn; an error is
	# "... near line N" of that script, mapped back to its case.
	if (dialect == "sqlite") {
		# Not durable (test files): no fsync per statement. One transaction.
		d = sprintf(".open \"%s/%s.db\"\nPRAGMA foreign_keys = ON;\nPRAGMA synchronous = OFF;\n" \
		    "PRAGMA journal_mode = MEMORY;\nBEGIN;\n%s\n;\nCOMMIT;\n", out, casename, live)
		printf "%s\t%d\n", casename, lite_line + 1 > (out "/live-lines.tsv")
		printf "%s", d > (out "/live-files.sql")
		lite_line += gsub(/\n/, "\n", d)
	}
	casename = ""
}

/^-- definition:/ {
	close_case()
	close_def()
	defname = trim(substr($0, 15))
	if (defname !~ /^[a-z][a-z0-9_]*$/)
		fail("definition name: lower-case letters, digits and _")
	if (defname in seen_def)
		fail("definition " defname " defined twice (first at " seen_def[defname] ")")
	seen_def[defname] = FILENAME ":" FNR
	defsql = ""
	mode = "def"
	next
}
/^-- case:/ {
	close_case()
	if (defname == "")
		fail("a case before any -- definition:")
	casename = trim(substr($0, 9))
	if (casename !~ /^[a-z][a-z0-9_]*$/ || length(casename) > 55)
		fail("case name: lower-case letters, digits and _, at most 55")
	if (casename in seen_case)
		fail("case " casename " defined twice (first at " seen_case[casename] ")")
	seen_case[casename] = FILENAME ":" FNR
	casewhere = FILENAME ":" FNR
	livesql = casever = caseexp = casetodo = caseown = casescope = ""
	mode = "case"
	next
}
mode == "case" && /^-- verdict:/ {
	casever = trim(substr($0, 12))
	if (casever !~ /^(ok|drift|pending)$/)
		fail("verdict: ok, drift or pending")
	next
}
mode == "case" && /^-- expect:/ {
	e = trim(substr($0, 11))
	# OBJECT may hold blanks (an unnamed SQLite constraint: "t.CHECK (x > 0)").
	if (split(e, parts, " ") < 2)
		fail("expect: OBJECT KIND")
	caseexp = caseexp e "\n"
	next
}
mode == "case" && /^-- todo:/ {
	casetodo = trim(substr($0, 9))
	if (casetodo == "")
		fail("todo: say why the case fails today")
	next
}
mode == "case" && /^-- own-database/ { caseown = "1"; next }
mode == "case" && /^-- scope:/ {
	casescope = trim(substr($0, 10))
	if (casescope !~ /^(definition|schema)$/)
		fail("scope: definition or schema")
	next
}
mode == "def" { defsql = defsql $0 "\n"; next }
mode == "case" { livesql = livesql $0 "\n"; next }
END {
	if (bad)
		exit 1
	close_case()
	close_def()
	# Files that must exist even when nothing was written to them.
	printf "" >> (out "/cases.tsv")
	printf "" >> (out "/expect.tsv")
	printf "" >> (out "/live-schemas.sql")
	printf "" >> (out "/live-files.sql")
	printf "" >> (out "/live-lines.tsv")
}
