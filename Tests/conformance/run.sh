#!/bin/sh
# run.sh PREFIX [NAME-FILTER]
#
# The project's C conformance cases for librump.  Builds every
# cases/*.c against the library installed under PREFIX (PREFIX/include/rump,
# PREFIX/lib), runs each program under a timeout in a fresh temporary
# directory, prints every line it printed, and ends with exactly one line
#     N passed, N failed
# Exit status 0 only if nothing failed.
#
# A case that does not compile, crashes, times out, exits non-zero or ends
# without its summary line ("# <case>: N passed, N failed, N skipped")
# counts as one more failure.
#
# A case may choose its libraries on its first line:
#     /* libs: -lrump -lrumpuser */
# (default: -lrump -lrumpuser; -lpthread is always added).
#
# Environment: CC (default cc), CONFORMANCE_TIMEOUT (seconds per case,
# default 120), CONFORMANCE_KEEP=1 keeps the build directory.

set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 PREFIX [NAME-FILTER]" >&2
	exit 2
fi
PREFIX=$1
FILTER=${2:-}
case $PREFIX in
/*) ;;
*) PREFIX=$(cd "$PREFIX" 2>/dev/null && pwd) || { echo "bad PREFIX: $1" >&2; exit 2; } ;;
esac

HERE=$(cd "$(dirname "$0")" && pwd)
CASES=$HERE/cases
CC=${CC:-cc}
TIMEOUT=${CONFORMANCE_TIMEOUT:-120}
DEFAULT_LIBS="-lrump -lrumpuser"

# The cases choose their boot parameters themselves.
unset RUMP_VERBOSE RUMP_NCPU RUMP_MEMLIMIT RUMP_HOSTNAME RUMP_THREADS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rumpconf.XXXXXX") || exit 2
BUILD=$WORK/build
mkdir -p "$BUILD"
if [ "${CONFORMANCE_KEEP:-0}" != 1 ]; then
	trap 'rm -rf "$WORK"' EXIT
	trap 'rm -rf "$WORK"; exit 130' INT TERM
fi

npass=0
nfail=0
nskip=0
ncases=0

echo "# librump conformance: PREFIX=$PREFIX"

# count PATTERN FILE: lines of FILE matching PATTERN
count() {
	n=$(grep -c "$1" "$2" 2>/dev/null)
	echo "${n:-0}"
}

for src in "$CASES"/*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	if [ -n "$FILTER" ]; then
		case $name in
		*"$FILTER"*) ;;
		*) continue ;;
		esac
	fi
	ncases=$((ncases + 1))

	libs=$DEFAULT_LIBS
	first=$(head -n 1 "$src")
	case $first in
	*"libs:"*)
		libs=$(printf '%s\n' "$first" | sed 's|.*libs:||; s|\*/.*||')
		;;
	esac

	bin=$BUILD/$name
	# shellcheck disable=SC2086
	if ! $CC -O1 -std=gnu11 -Wall -I"$PREFIX/include" \
	    -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" -Wl,--no-as-needed \
	    -o "$bin" "$src" $libs -lpthread >"$BUILD/$name.cc" 2>&1; then
		echo "not ok - $name: compile failed"
		sed -n '1,20s/^/#   /p' "$BUILD/$name.cc"
		nfail=$((nfail + 1))
		continue
	fi
	if [ -s "$BUILD/$name.cc" ]; then
		echo "# $name: compiler warnings:"
		sed -n '1,10s/^/#   /p' "$BUILD/$name.cc"
	fi

	wd=$(mktemp -d "$WORK/run.$name.XXXXXX")
	out=$BUILD/$name.out
	err=$BUILD/$name.err
	# The inner shell waits for the program, so a crash is reported by it
	# (into the .err file) and comes back here as status 128+signal.
	sh -c 'cd "$1" || exit 125; timeout -k 5 "$2" "$3"; exit $?' \
	    sh "$wd" "$TIMEOUT" "$bin" >"$out" 2>"$err" </dev/null
	rc=$?

	cat "$out"
	p=$(count '^ok - ' "$out")
	f=$(count '^not ok - ' "$out")
	s=$(count '^skip - ' "$out")
	npass=$((npass + p))
	nfail=$((nfail + f))
	nskip=$((nskip + s))

	reason=""
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		reason="timed out after ${TIMEOUT}s"
	elif [ "$rc" -gt 128 ]; then
		reason="crashed (signal $((rc - 128)))"
	elif [ "$rc" -ne 0 ]; then
		reason="exited with status $rc"
	elif ! grep -q "^# $name: [0-9]* passed, [0-9]* failed, [0-9]* skipped\$" "$out"; then
		reason="ended without its summary line"
	fi
	if [ -n "$reason" ]; then
		echo "not ok - $name: $reason ($((p + f + s)) checks ran)"
		nfail=$((nfail + 1))
	fi
	if [ -n "$reason" ] || [ "$f" -gt 0 ]; then
		if [ -s "$err" ]; then
			echo "# $name stderr (last lines):"
			tail -n 15 "$err" | sed 's/^/#   /'
		fi
	fi
	rm -rf "$wd"
done

echo "# $ncases cases, $nskip checks skipped"
if [ "${CONFORMANCE_KEEP:-0}" = 1 ]; then
	echo "# build directory kept: $BUILD"
fi
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
