#!/bin/sh
# Tests/sdk/run.sh PREFIX: the faction SDK through plugins linked into driver
# programs: driver + sdk_plugin (modules, syscalls, locks, kthreads, sysctl),
# kern_driver + kern_plugin (callouts, workqueues), the latter also with
# RUMP_THREADS=0. Ends with "N passed, N failed" over all of them.
set -u
PREFIX=$1
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
B=$(mktemp -d "${TMPDIR:-/tmp}/rumpsdk.XXXXXX")
trap 'rm -rf "$B"' EXIT
CFLAGS="-O1 -Wall -Wextra -Werror -I$PREFIX/include"
build() {	# build PLUGIN DRIVER
    $CC $CFLAGS -shared -fPIC -o "$B/lib$1.so" "$HERE/$1.c" -L"$PREFIX/lib" -lrump &&
    $CC $CFLAGS -o "$B/$2" "$HERE/$2.c" -L"$PREFIX/lib" -L"$B" \
        -Wl,-rpath,"$PREFIX/lib" -Wl,-rpath,"$B" -Wl,--no-as-needed \
        -l$1 -lrump -lrumpuser -lpthread
}
build sdk_plugin driver || { echo "0 passed, 1 failed"; exit 1; }
build kern_plugin kern_driver || { echo "0 passed, 1 failed"; exit 1; }
pass=0 fail=0
for run in "$B/driver" "$B/kern_driver" "env RUMP_THREADS=0 $B/kern_driver"; do
    $run >"$B/out" 2>&1
    rc=$?
    grep -v ' passed, .* failed$' "$B/out"
    line=$(grep ' passed, .* failed$' "$B/out" | tail -1)
    if [ -z "$line" ]; then
        echo "not ok - $run: exit status $rc, no summary"
        fail=$((fail + 1))
        continue
    fi
    set -- $line
    pass=$((pass + $1)) fail=$((fail + $3))
    if [ "$rc" -ne 0 ] && [ "$3" -eq 0 ]; then
        echo "not ok - $run: exit status $rc"; fail=$((fail + 1))
    fi
    case $run in
    "$B/kern_driver")	# the double enqueue is reported on the console
        if grep -q 'workqueue_enqueue: ktgate: work .* is already queued' "$B/out"; then
            echo "ok - kern: the double enqueue is reported"; pass=$((pass + 1))
        else
            echo "not ok - kern: the double enqueue is reported"; fail=$((fail + 1))
        fi;;
    esac
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
