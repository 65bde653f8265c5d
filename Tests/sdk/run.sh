#!/bin/sh
# Tests/sdk/run.sh PREFIX: the faction SDK through a plugin linked into a
# driver program. Ends with "N passed, N failed".
set -u
PREFIX=$1
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
B=$(mktemp -d "${TMPDIR:-/tmp}/rumpsdk.XXXXXX")
trap 'rm -rf "$B"' EXIT
CFLAGS="-O1 -Wall -Wextra -Werror -I$PREFIX/include"
$CC $CFLAGS -shared -fPIC -o "$B/libsdk_plugin.so" "$HERE/sdk_plugin.c" \
    -L"$PREFIX/lib" -lrump || { echo "0 passed, 1 failed"; exit 1; }
$CC $CFLAGS -o "$B/driver" "$HERE/driver.c" -L"$PREFIX/lib" -L"$B" \
    -Wl,-rpath,"$PREFIX/lib" -Wl,-rpath,"$B" -Wl,--no-as-needed \
    -lsdk_plugin -lrump -lrumpuser -lpthread || { echo "0 passed, 1 failed"; exit 1; }
"$B/driver"
