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
for p in linked ctor_plugin local_plugin late_plugin dup_faction; do
	# Plugins leave test_record to the program (-rdynamic exports it).
	$CC $CFLAGS -shared -fPIC -o "$B/lib$p.so" "$HERE/$p.c" || { echo "0 passed, 1 failed"; exit 1; }
done
$CC $CFLAGS -rdynamic -o "$B/driver" "$HERE/driver.c" $LDFLAGS -L"$B" -Wl,--no-as-needed \
    -llinked -lrump -lrumpuser -ldl || { echo "0 passed, 1 failed"; exit 1; }
"$B/driver" "$B"
