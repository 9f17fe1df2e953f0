# Helpers for turning a test program's run into TAP lines; sourced by the
# runners. A program that prints TAP is taken at its word; one that prints
# none counts as a single test by its exit code (0 pass, 4 skip, else fail).

# tap_run NAME LOG CMD...: runs CMD with output to LOG, then prints its TAP
# result lines (the whole log when something failed) followed by any
# synthesized TAP line. grep -a: a log with a stray binary byte (a
# daemon's NUL) would otherwise print "binary file matches" instead of
# its TAP lines, and lose them, failures included.
tap_run() {
	_name=$1
	_log=$2
	shift 2
	_rc=0
	"$@" >"$_log" 2>&1 </dev/null || _rc=$?
	_extra=
	if ! grep -aqE '^(not )?ok\b' "$_log"; then
		case $_rc in
		0) _extra="ok - $_name" ;;
		4) _extra="ok - $_name # SKIP" ;;
		*) _extra="not ok - $_name (exit $_rc)" ;;
		esac
	elif [ "$_rc" != 0 ] && [ "$_rc" != 4 ] && ! grep -aqE '^not ok\b' "$_log"; then
		_extra="not ok - $_name (exit $_rc after its last test)"
	fi
	if grep -aqE '^not ok\b' "$_log" || [ "${_extra#not ok}" != "$_extra" ]; then
		sed 's/^/# | /' "$_log" | grep -avE '^# \| (not )?ok\b'
		grep -aE '^(not )?ok\b' "$_log"
	else
		grep -aE '^ok\b' "$_log"
	fi
	[ -z "$_extra" ] || echo "$_extra"
	return 0
}

# tap_count FILE...: prints "PASSED FAILED SKIPPED" for the TAP lines.
tap_count() {
	awk '/^not ok( |$)/ { f++; next }
	     /^ok( |$)/ { if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) s++; else p++ }
	     END { printf "%d %d %d\n", p, f, s }' "$@"
}
