#!/bin/sh
# scripts/boot-order.sh PREFIX: regenerate Sources/RumpLibrary/boot-order.txt.
#
# Boot touches a few hundred functions spread over the whole library (ours,
# the Swift runtime's and the standard library's), and Linux maps a library's
# code in 64 KiB blocks around each page first touched, so boot's memory cost
# is the number of blocks those functions fall in.  The link places the
# sections listed in boot-order.txt together (gold's --section-ordering-file;
# every function has its own section: -function-sections, -ffunction-sections).
#
# This lists what rump_init() runs in the library installed under PREFIX,
# recorded with valgrind's callgrind.  The list only steers placement: a name
# that no longer exists is ignored, a new boot function left out just lands
# elsewhere, so regenerate it when boot changes much (make bench: init_rss_kb).
set -eu
PREFIX=${1:?usage: $0 PREFIX}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/Sources/RumpLibrary/boot-order.txt
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bootorder.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# valgrind cannot read the Swift DWARF; the symbol table is enough.
mkdir "$TMP/lib"
cp -a "$PREFIX"/lib/lib*.so* "$TMP/lib/"
strip --strip-debug "$TMP/lib/librump.so.0".*
printf '#include <rump/rump.h>\nint main(void) { return rump_init(); }\n' >"$TMP/boot.c"
${CC:-cc} -O2 -o "$TMP/boot" "$TMP/boot.c" -I"$PREFIX/include" -L"$TMP/lib" \
    -Wl,-rpath,"$TMP/lib" -Wl,--no-as-needed -lrumpfs_tmpfs -lrumpvfs -lrump -lrumpuser
valgrind -q --tool=callgrind --demangle=no --compress-strings=no --compress-pos=no \
    --callgrind-out-file="$TMP/cg.out" "$TMP/boot"

# Every function callgrind saw run in librump, once, as its section names
# (C and C++ compilers put static constructors and cold code in prefixed ones).
awk '
	/^ob=/ { inlib = ($0 ~ /librump\.so/) }
	/^fn=/ && inlib {
		f = substr($0, 4)
		if (f ~ /^0x/ || seen[f]++) next
		print ".text." f
		if (f !~ /^\$s/) {
			print ".text.startup." f
			print ".text.unlikely." f
		}
	}' "$TMP/cg.out" >"$OUT"
echo "$(grep -c -v -E '^\.text\.(startup|unlikely)\.' "$OUT") functions -> $OUT"
