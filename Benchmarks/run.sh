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
remote_server=
trap '[ -n "$remote_server" ] && kill -KILL "$remote_server" 2>/dev/null; rm -rf "$OUT"' EXIT

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

# Remote kernels: Benchmarks/remote/remote.c, a librumpclient program, against
# a rump_server on a unix socket started here (and halted afterwards).
if [ -x "$PREFIX/bin/rump_server" ] && [ -e "$PREFIX/lib/librumpclient.so" ]; then
	$CC -O2 -Wall -Werror -o "$OUT/remote" "$HERE/remote/remote.c" -I"$PREFIX/include" \
	    -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" -lrumpclient || exit 2
	sock=$OUT/remote.sock
	"$PREFIX/bin/rump_server" -s -lrumpvfs "unix://$sock" >"$OUT/remote-server.log" 2>&1 &
	remote_server=$!
	# Serving once a client gets an answer (the socket exists before listen).
	i=0
	until RUMP_SERVER=unix://$sock "$PREFIX/bin/rumpctl" ls / >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$remote_server" 2>/dev/null; then
			echo "# remote: rump_server did not start:"
			sed 's/^/#   /' "$OUT/remote-server.log"
			exit 2
		fi
		sleep 0.05
	done
	RUMP_SERVER=unix://$sock "$OUT/remote" >"$OUT/remote.out"
	rc=$?
	tee -a "$OUT/results" <"$OUT/remote.out"
	kill -TERM "$remote_server"
	wait "$remote_server"
	remote_server=
	[ $rc -eq 0 ] || exit 2
else
	echo "# remote: $PREFIX/bin/rump_server or librumpclient.so not installed: skipped"
fi

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
