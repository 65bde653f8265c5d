#!/bin/sh
# Tests/sanitizers/run.sh thread|address
#
# Build the Swift kernel (and its C stubs, librumpuser and the factions) with
# ThreadSanitizer or AddressSanitizer, install it into a prefix of its own and
# run the threaded and stress conformance cases against it (`make test-tsan`,
# `make test-asan`). Ends with "N passed, N failed"; every sanitizer report
# counts as one failure and is printed in full at the end.
#
# The recipe, and why (measured with Swift 6.3.1 on Linux x86_64):
#  - `swift build -c release --sanitize=KIND` into .build-tsan / .build-asan,
#    installed into dist-tsan / dist-asan by `make install` (SWIFT_BUILD_FLAGS,
#    CC, CFLAGS and SCRATCH passed in). The library keeps -static-stdlib: it
#    links fine, the Swift runtime in it is simply not instrumented, and it is
#    left with undefined __tsan_* / __asan_* symbols.
#  - Those come from the test program: the C cases are built with the Swift
#    toolchain's clang and -fsanitize=KIND (the runner takes CC with flags), so
#    the executable carries the sanitizer runtime and exports it to librump.so.
#    gcc's own libtsan/libasan must not be mixed in, hence clang, not cc. The
#    toolchain's TSan runtime also intercepts libdispatch and needs
#    libdispatch.so and libBlocksRuntime.so from the toolchain at link time.
#  - TSan only: Synchronization.Mutex's contended paths (_lockSlow and
#    _unlockSlow, FUTEX_LOCK_PI in the uninstrumented stdlib) are invisible to
#    TSan, which then reports false races on everything a Mutex guards. The
#    link wraps both with Tests/sanitizers/tsan_mutex.c, which adds the missing
#    __tsan_acquire / __tsan_release (see there). No report is suppressed.
#  - The sanitizers' exit code is set to 0 so that a report does not turn into
#    failed checks of the case (sub-processes exiting 66); instead reports go to
#    log files (log_path) and are counted here.
#  - `swift test --sanitize=KIND` (debug, same scratch folder) runs the unit
#    tests; SKIP_SWIFT_TESTS=1 leaves it out.
#
# Environment: SANITIZER_CASES (conformance name filters, space-separated),
# SWIFT, CONFORMANCE_TIMEOUT, SKIP_SWIFT_TESTS.
set -u

KIND=${1:-}
case $KIND in
thread) short=tsan ;;
address) short=asan ;;
*) echo "usage: $0 thread|address" >&2; exit 2 ;;
esac

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SWIFT=${SWIFT:-swift}
MAKE=${MAKE:-make}
SCRATCH=.build-$short
PREFIX=$ROOT/dist-$short
CASES=${SANITIZER_CASES:-11_lwproc 20_ 23_ 24_ 30_ 31_ 40_socket 50_kqueue 60_ 70_ 71_ 80_}

# The toolchain that swift comes from: its clang and its sanitizer runtimes.
TOOLBIN=$(dirname "$(readlink -f "$(command -v "$SWIFT")")")
CLANG=$TOOLBIN/clang
SWIFTLIB=$(cd "$TOOLBIN/../lib/swift/linux" && pwd) || exit 2
[ -x "$CLANG" ] || { echo "no clang next to $SWIFT ($CLANG)" >&2; exit 2; }

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/rumpsan.XXXXXX") || exit 2
trap 'rm -rf "$LOGS"' EXIT
trap 'rm -rf "$LOGS"; exit 130' INT TERM

cd "$ROOT" || exit 2
mkdir -p "$SCRATCH"
start=$(date +%s)

# Flags for swift build and swift test ($$ for make, single quotes for the shell).
flags="--sanitize=$KIND"
testflags="--sanitize=$KIND"
if [ "$KIND" = thread ]; then
	"$CLANG" -O1 -fPIC -c -o "$SCRATCH/tsan_mutex.o" "$HERE/tsan_mutex.c" || exit 1
	lock='s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF'
	unlock='s15Synchronization12_MutexHandleV11_unlockSlowyyF'
	for s in $lock $unlock; do
		flags="$flags -Xlinker '--wrap=\$\$$s' -Xlinker '--undefined=\$\$$s'"
		testflags="$testflags -Xlinker --wrap=\$$s"
	done
	flags="$flags -Xlinker $ROOT/$SCRATCH/tsan_mutex.o"
	testflags="$testflags -Xlinker $ROOT/$SCRATCH/tsan_mutex.o"
	# log_path: one file per process; exitcode=0: see above.
	export TSAN_OPTIONS="log_path=$LOGS/report:exitcode=0:halt_on_error=0"
	ccflags="-fsanitize=thread -g"
else
	export ASAN_OPTIONS="log_path=$LOGS/report:exitcode=0:halt_on_error=0"
	# Two known false positives of LeakSanitizer, explained in lsan.supp.
	export LSAN_OPTIONS="suppressions=$HERE/lsan.supp:print_suppressions=1"
	ccflags="-fsanitize=address -g"
fi
# The sanitizer runtimes of the toolchain need its libdispatch and blocks runtime.
ldflags="-Wl,--no-as-needed -L$SWIFTLIB -Wl,-rpath,$SWIFTLIB -ldispatch -lBlocksRuntime"
ccflags="$ccflags $ldflags"

echo "# ---- build ($KIND): $SCRATCH -> $PREFIX"
if ! env -u CFLAGS -u LDFLAGS "$MAKE" --no-print-directory install SCRATCH="$SCRATCH" PREFIX="$PREFIX" \
    SWIFT="$SWIFT" CC="$CLANG" CFLAGS="-O1 -g -fsanitize=$KIND" LDFLAGS="$ldflags" \
    SWIFT_BUILD_FLAGS="$flags" >"$LOGS/build.log" 2>&1; then
	tail -n 30 "$LOGS/build.log"
	echo "not ok - $short: build failed"
	echo "0 passed, 1 failed"
	exit 1
fi
built=$(date +%s)
echo "# built in $((built - start)) s"

npass=0
nfail=0
for c in $CASES; do
	t0=$(date +%s)
	CC="$CLANG $ccflags" sh "$ROOT/Tests/conformance/run.sh" "$PREFIX" "$c" >"$LOGS/case.$c" 2>&1
	grep -E '^(not ok|# .*(failed|stderr)|#   )' "$LOGS/case.$c" | grep -v 'ld.gold: warning: Cannot export'
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGS/case.$c" | tail -n 1)
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	echo "# $c: ${p:-0} passed, ${f:-1} failed ($(( $(date +%s) - t0 )) s)"
	npass=$((npass + ${p:-0}))
	nfail=$((nfail + ${f:-1}))
done

if [ "${SKIP_SWIFT_TESTS:-0}" != 1 ]; then
	t0=$(date +%s)
	# shellcheck disable=SC2086
	env -u CC -u CXX -u CFLAGS "$SWIFT" test --scratch-path "$SCRATCH" $testflags \
	    >"$LOGS/swift-test.log" 2>&1
	rc=$?
	total=$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*/\1/p' "$LOGS/swift-test.log" | tail -n 1)
	f=$(grep -E 'Test .* failed after' "$LOGS/swift-test.log" | grep -c -v 'Test run with')
	p=$(( ${total:-0} - f ))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		grep -E 'error|ERROR' "$LOGS/swift-test.log" | head -n 20
	fi
	echo "# swift test --sanitize=$KIND: $p passed, $f failed ($(( $(date +%s) - t0 )) s)"
	npass=$((npass + p))
	nfail=$((nfail + f))
fi

# Every sanitizer report, in full, and one failure each. (A log file may also
# hold only the list of suppressions used; that is shown, not counted.)
nrep=0
for r in "$LOGS"/report.*; do
	[ -f "$r" ] || continue
	n=$(grep -c '^SUMMARY: ' "$r")
	if [ "$n" -eq 0 ] && grep -qE '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer)' "$r"; then
		n=1
	fi
	nrep=$((nrep + n))
done
if cat "$LOGS"/report.* 2>/dev/null | grep -q 'Suppressions used'; then
	echo "# ---- suppressed (see lsan.supp): pattern, processes, leaks, bytes"
	cat "$LOGS"/report.* | grep -E '^ +[0-9]+ +[0-9]+ +[^ ]+$' |
	    awk '{p[$3]++; n[$3]+=$1; b[$3]+=$2}
	        END {for (k in p) printf "#   %s: %d, %d, %d\n", k, p[k], n[k], b[k]}'
fi
if [ "$nrep" -gt 0 ]; then
	echo "# ---- $nrep sanitizer report(s), by summary line:"
	cat "$LOGS"/report.* | grep '^SUMMARY: ' | sort | uniq -c | sed 's/^/#   /'
	echo "# ---- the reports:"
	cat "$LOGS"/report.*
	echo "not ok - $short: $nrep sanitizer report(s)"
	nfail=$((nfail + nrep))
else
	echo "ok - $short: no sanitizer reports"
	npass=$((npass + 1))
fi
echo "# $short: $(( $(date +%s) - start )) s in all"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
