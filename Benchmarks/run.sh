#!/bin/sh
# Benchmarks/run.sh: build and run the benchmarks against $PREFIX, then set
# each line beside its budget (Benchmarks/budgets.txt). Exits non-zero if a
# line misses its "must" budget.
#
# The shared bench.c ($SHARED/bench/bench.c) defines the lines the budgets
# name; benchmarks whose subsystem this build lacks are left out and listed.
set -u
: "${PREFIX:?set PREFIX to the install prefix}"
SHARED=${SHARED:-}
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/rumpbench.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

LDFLAGS="-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib -Wl,--no-as-needed"
libs="-lrump -lrumpuser -lpthread"
[ -e "$PREFIX/lib/librumpvfs.so" ] && libs="-lrumpvfs $libs"
[ -e "$PREFIX/lib/librumpfs_tmpfs.so" ] && libs="-lrumpfs_tmpfs $libs"

# What this build can run of bench.c: the core lines always; file system and
# pipe lines once their factions are installed.
selection="getpid_ns getpid_2t_ns getpid_implicit_ns rfork_release_ns"
if [ -e "$PREFIX/lib/librumpvfs.so" ]; then
	selection=""	# everything
fi

: >"$OUT/results"
if [ -n "$SHARED" ] && [ -f "$SHARED/bench/bench.c" ]; then
	# shellcheck disable=SC2086
	$CC -O2 -o "$OUT/bench" "$SHARED/bench/bench.c" -I"$PREFIX/include" $LDFLAGS $libs || exit 2
	[ -n "$selection" ] && echo "# bench.c: this build has no VFS faction; running: $selection"
	# shellcheck disable=SC2086
	"$OUT/bench" $selection | tee -a "$OUT/results" || exit 2
	# The sequential pair on the root file system too (bench.c runs it on tmpfs
	# when it can); the init lines of this second run are not kept.
	if [ -z "$selection" ]; then
		BENCH_SEQ_FS=rootfs "$OUT/bench" seq_mbs | grep rootfs | tee -a "$OUT/results" || exit 2
	fi
else
	echo "# shared bench.c not found (SHARED=$SHARED): skipped"
fi
# Plugins some benchmarks load (argv[1] names their folder).
for src in "$HERE"/plugins/*.c; do
	name=$(basename "$src" .c)
	$CC -O2 -Wall -Werror -shared -fPIC -o "$OUT/lib$name.so" "$src" -I"$PREFIX/include" || exit 2
done
for src in "$HERE"/*.c; do
	name=$(basename "$src" .c)
	# shellcheck disable=SC2086
	$CC -O2 -Wall -Werror -o "$OUT/$name" "$src" -I"$PREFIX/include" $LDFLAGS $libs || exit 2
	"$OUT/$name" "$OUT" | tee -a "$OUT/results" || exit 2
done

echo "# budgets (must = the reference's cost; aim = the issue's target)"
status=0
while read -r name unit must aim; do
	case $name in "#"*|"") continue ;; esac
	got=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT/results" | tail -n 1)
	[ -z "$got" ] && { printf '#   %-24s not run\n' "$name"; continue; }
	verdict=$(awk -v g="$got" -v m="$must" -v a="$aim" -v n="$name" 'BEGIN {
		higher = (n ~ /_mbs$/ || n ~ /_per_s$/)
		if (higher ? g >= a : g <= a) print "meets aim";
		else if (higher ? g >= m : g <= m) print "meets must, misses aim";
		else print "MISSES MUST";
	}')
	printf '#   %-24s %10s %-6s must %-8s aim %-8s %s\n' "$name" "$got" "$unit" "$must" "$aim" "$verdict"
	[ "$verdict" = "MISSES MUST" ] && status=1
done <"$HERE/budgets.txt"
exit $status
