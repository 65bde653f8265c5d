#!/bin/sh
# Tests/components/run.sh PREFIX: build the component plugins and the driver
# against PREFIX and run it. Ends with "N passed, N failed".
set -u
PREFIX=$1
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
B=$(mktemp -d "${TMPDIR:-/tmp}/rumpcomp.XXXXXX")
trap 'rm -rf "$B"' EXIT
CFLAGS="-O1 -Wall -Wextra -Werror -I$PREFIX/include -I$HERE"
LDFLAGS="-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib -Wl,-rpath,$B"
for p in linked ctor_plugin local_plugin late_plugin dup_faction rebind_plugin; do
	# Plugins leave test_record to the program (-rdynamic exports it).
	$CC $CFLAGS -shared -fPIC -o "$B/lib$p.so" "$HERE/$p.c" || { echo "0 passed, 1 failed"; exit 1; }
done
$CC $CFLAGS -rdynamic -o "$B/driver" "$HERE/driver.c" $LDFLAGS -L"$B" -Wl,--no-as-needed \
    -llinked -lrump -lrumpuser -ldl || { echo "0 passed, 1 failed"; exit 1; }
$CC $CFLAGS -o "$B/rebind_driver" "$HERE/rebind_driver.c" $LDFLAGS -Wl,--no-as-needed \
    -lrump -lrumpuser || { echo "0 passed, 1 failed"; exit 1; }
$CC $CFLAGS -o "$B/rebind_linked" "$HERE/rebind_driver.c" $LDFLAGS -L"$B" -Wl,--no-as-needed \
    -lrebind_plugin -lrump -lrumpuser || { echo "0 passed, 1 failed"; exit 1; }

# Three programs; add up their counts.
pass=0
fail=0
for run in "driver $B" "rebind_driver $B/librebind_plugin.so" "rebind_linked $B/librebind_plugin.so --linked"; do
	set -- $run
	prog=$1
	shift
	"$B/$prog" "$@" >"$B/out" 2>"$B/err"
	rc=$?
	cat "$B/out"
	p=$(grep -c '^ok - ' "$B/out")
	f=$(grep -c '^not ok - ' "$B/out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - components: $prog exited with status $rc"
		sed 's/^/#   /' "$B/err"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
