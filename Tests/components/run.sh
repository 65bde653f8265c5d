#!/bin/sh
# Tests/components/run.sh PREFIX: build the component and rebinding plugins and
# their drivers against PREFIX and run them; the component driver is built
# again with each compiler and linker at hand (gcc/clang; bfd, gold, lld;
# --gc-sections), since RUMP_COMPONENT relies on linker-made section bounds.
# Ends with "N passed, N failed".
set -u
PREFIX=$1
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
B=$(mktemp -d "${TMPDIR:-/tmp}/rumpcomp.XXXXXX")
trap 'rm -rf "$B"' EXIT
pass=0
fail=0

# build DIR CC EXTRA-FLAGS: the plugins and drivers into DIR.
build() {
	dir=$1 cc=$2 extra=$3
	mkdir -p "$dir"
	cflags="-O1 -Wall -Wextra -Werror -I$PREFIX/include -I$HERE $extra"
	ldflags="-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib -Wl,-rpath,$dir -L$dir"
	for p in linked ctor_plugin local_plugin late_plugin dup_faction rebind_plugin unresolved; do
		# Plugins leave test_record to the program (-rdynamic exports it).
		# shellcheck disable=SC2086
		$cc $cflags -shared -fPIC -o "$dir/lib$p.so" "$HERE/$p.c" || return 1
	done
	# shellcheck disable=SC2086
	$cc $cflags -rdynamic -o "$dir/driver" "$HERE/driver.c" $ldflags -Wl,--no-as-needed \
	    -llinked -lrump -lrumpuser -ldl || return 1
	# shellcheck disable=SC2086
	$cc $cflags -o "$dir/rebind_driver" "$HERE/rebind_driver.c" $ldflags -Wl,--no-as-needed \
	    -lrump -lrumpuser || return 1
	# shellcheck disable=SC2086
	$cc $cflags -o "$dir/rebind_linked" "$HERE/rebind_driver.c" $ldflags -Wl,--no-as-needed \
	    -lrebind_plugin -lrump -lrumpuser
}

# run LABEL PROGRAM ARGS...: one program's checks, added to the totals.
run() {
	label=$1
	shift
	"$@" >"$B/out" 2>"$B/err"
	rc=$?
	# Each program's own total is added up below, not printed.
	grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$B/out" |
	    sed "s/^\(ok\|not ok\) - components: /\1 - components ($label): /"
	p=$(grep -c '^ok - ' "$B/out")
	f=$(grep -c '^not ok - ' "$B/out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - components ($label): $(basename "$1") exited with status $rc"
		sed 's/^/#   /' "$B/err"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}

if build "$B/cc" "$CC" ""; then
	run "$CC" "$B/cc/driver" "$B/cc"
	run "$CC" "$B/cc/rebind_driver" "$B/cc/librebind_plugin.so"
	run "$CC" "$B/cc/rebind_linked" "$B/cc/librebind_plugin.so" --linked
else
	echo "not ok - components: the plugins do not build with $CC"
	fail=$((fail + 1))
fi

# The same component driver with other toolchains, where they exist.
for variant in "gold|$CC|-fuse-ld=gold" "gc-sections|$CC|-ffunction-sections -fdata-sections -Wl,--gc-sections" \
    "clang-lld|clang|-fuse-ld=lld" "clang-lld-gc|clang|-fuse-ld=lld -ffunction-sections -Wl,--gc-sections"; do
	tag=${variant%%|*}
	rest=${variant#*|}
	cc=${rest%%|*}
	flags=${rest#*|}
	if ! command -v "$cc" >/dev/null 2>&1 || ! echo 'int main(void){return 0;}' |
	    $cc $flags -x c -o "$B/probe" - >/dev/null 2>&1; then
		echo "# components: $tag: $cc $flags is not available here; skipped"
		continue
	fi
	if build "$B/$tag" "$cc" "$flags"; then
		run "$tag" "$B/$tag/driver" "$B/$tag"
	else
		echo "not ok - components ($tag): the plugins do not build with $cc $flags"
		fail=$((fail + 1))
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
