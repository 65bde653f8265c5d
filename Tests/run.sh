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
	# SwiftPM compiles C targets with $CC; the host compiler's name must not leak in.
	env -u CC -u CXX -u CFLAGS "$SWIFT" test >"$LOGS/swift-test.raw" 2>&1
	rc=$?
	cat "$LOGS/swift-test.raw"
	# Swift Testing's closing line gives the number of tests; failed tests
	# have their own lines ("Test ... failed after").
	total=$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*/\1/p' "$LOGS/swift-test.raw" | tail -n 1)
	f=$(grep -E 'Test .* failed after' "$LOGS/swift-test.raw" | grep -c -v 'Test run with')
	p=$(( ${total:-0} - f ))
	# A build failure or crash runs no test: count it as one failure.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	echo "swift: $p passed, $f failed"
	[ "$rc" -eq 0 ] && [ "$f" -eq 0 ]
}

# The shared suite's cases this build must pass (Tests/shared-cases.txt).
shared_conformance() {
	sp=0
	sf=0
	for c in $(grep -v '^#' "$HERE/shared-cases.txt"); do
		sh "$SHARED/conformance/run.sh" "$PREFIX" "$c" >"$LOGS/shared.$c" 2>&1
		cat "$LOGS/shared.$c"
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGS/shared.$c" | tail -n 1)
		sp=$((sp + ${line%% passed*}))
		f=${line#*passed, }
		sf=$((sf + ${f%% failed*}))
	done
	echo "$sp passed, $sf failed"
	[ "$sf" -eq 0 ]
}

run_suite generated python3 "$ROOT/Syscalls/gen.py" --check
run_suite headers sh "$HERE/headers/check.sh" "$PREFIX/include"
run_suite abi sh "$HERE/abi/check.sh" "$PREFIX"
if [ "${SKIP_SWIFT_TESTS:-0}" != 1 ]; then
	run_suite swift swift_tests
fi
run_suite components sh "$HERE/components/run.sh" "$PREFIX"
run_suite sdk sh "$HERE/sdk/run.sh" "$PREFIX"
run_suite examples sh "$HERE/examples/run.sh" "$PREFIX"
run_suite conformance sh "$HERE/conformance/run.sh" "$PREFIX"
run_suite remote sh "$HERE/remote/run.sh" "$PREFIX"
if [ -n "$SHARED" ] && [ -f "$SHARED/conformance/run.sh" ]; then
	run_suite shared-conformance shared_conformance
else
	echo "# shared conformance suite not found (SHARED=$SHARED): skipped"
fi

echo "# ---- summary$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
