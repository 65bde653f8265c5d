#!/bin/sh
# Tests/run.sh: every test suite of the project, against the library installed
# in $PREFIX. Each suite prints its own lines and ends with "N passed, N
# failed"; this script adds them up and ends with the total in the same form.
#
# Environment: PREFIX (install prefix), SHARED (the shared conformance suite,
# optional), SWIFT, CC. SKIP_SWIFT_TESTS=1 leaves out `swift test`.
set -u
: "${PREFIX:?set PREFIX to the install prefix}"
SHARED=${SHARED:-}
SWIFT=${SWIFT:-swift}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/rumptests.XXXXXX")
trap 'rm -rf "$LOGS"' EXIT

total_pass=0
total_fail=0
summary=""

# run_suite NAME COMMAND...: run a suite, echo its output, add up its counts.
run_suite() {
	name=$1
	shift
	echo "# ---- $name"
	"$@" >"$LOGS/$name.log" 2>&1
	rc=$?
	cat "$LOGS/$name.log"
	counts=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$LOGS/$name.log" | tail -n 1)
	p=$(echo "$counts" | sed -n 's/^\([A-Za-z]*: \)\{0,1\}\([0-9]*\) passed.*/\2/p')
	f=$(echo "$counts" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	p=${p:-0}
	f=${f:-0}
	if [ -z "$counts" ]; then
		# A single check (such as gen.py --check): its exit status is the verdict.
		if [ "$rc" -eq 0 ]; then p=1; else f=1; fi
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: exited with status $rc"
		f=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	summary="$summary
#   $name: $p passed, $f failed"
}

# Swift Testing prints one line per test; count them.
swift_tests() {
	cd "$ROOT" || return 1
	"$SWIFT" test 2>&1 | tee "$LOGS/swift-test.raw"
	rc=$?
	p=$(grep -c -E 'Test [^ ].* passed after' "$LOGS/swift-test.raw")
	f=$(grep -c -E 'Test [^ ].* failed after' "$LOGS/swift-test.raw")
	# The run's own summary line is not a test.
	p=$((p - $(grep -c -E 'Test run with .* passed after' "$LOGS/swift-test.raw")))
	f=$((f - $(grep -c -E 'Test run with .* failed after' "$LOGS/swift-test.raw")))
	echo "swift: $p passed, $f failed"
	[ "$rc" -eq 0 ] && [ "$f" -eq 0 ]
}

shared_conformance() {
	cases=$(grep -v '^#' "$HERE/shared-cases.txt" | tr '\n' ' ')
	for c in $cases; do
		LIBS="-lrump -lrumpuser" sh "$SHARED/conformance/run.sh" "$PREFIX" "$c" || return 1
	done
}

run_suite generated python3 "$ROOT/Syscalls/gen.py" --check
run_suite headers sh "$HERE/headers/check.sh" "$PREFIX/include"
run_suite abi sh "$HERE/abi/check.sh" "$PREFIX"
if [ "${SKIP_SWIFT_TESTS:-0}" != 1 ]; then
	run_suite swift swift_tests
fi
run_suite components sh "$HERE/components/run.sh" "$PREFIX"
run_suite conformance sh "$HERE/conformance/run.sh" "$PREFIX"
if [ -n "$SHARED" ] && [ -f "$SHARED/conformance/run.sh" ]; then
	run_suite shared-conformance shared_conformance
else
	echo "# shared conformance suite not found (SHARED=$SHARED): skipped"
fi

echo "# ---- summary$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
