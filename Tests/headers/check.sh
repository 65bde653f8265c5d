#!/bin/sh
#
# check.sh INCLUDE_DIR
#
# Compiles the public rump header test (headers_test.c, and as C++
# headers_test.cc) against INCLUDE_DIR with warnings as errors, in
# several language modes, runs each program and reports.  rumpclient.h,
# when present, is checked by a small program of its own (below).
#
#   C:    ${CC:-cc}  -std=c99 / -std=c11     -Wall -Wextra -Werror -pedantic
#   C++:  ${CXX:-c++} -std=c++11 / -std=c++17 -Wall -Wextra -Werror -pedantic
#
# The C99 program's lines are printed in full ("ok - headers: ..." /
# "not ok - headers: ..."); the other builds print only their failures
# and a summary.  The last line is the total "N passed, M failed".
# Exit status is non-zero on any compile error or failed check.

set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 INCLUDE_DIR" >&2
	exit 2
fi

incdir=$1
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc}
CXX=${CXX:-c++}

if [ ! -d "$incdir/rump" ]; then
	echo "not ok - headers: $incdir/rump is not a directory"
	echo "0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rump-headers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

total_pass=0
total_fail=0

# Headers written elsewhere in the tree: include them only if present.
defs=""
for h in rump.h rump_syscalls.h rumpkern_if_pub.h; do
	if [ -f "$incdir/rump/$h" ]; then
		macro=HEADERS_HAVE_$(printf '%s' "$h" | tr 'a-z.' 'A-Z_')
		defs="$defs -D$macro=1"
	fi
done

# The headers under test must all exist.
for h in rumpdefs.h rumperr.h rumperrno2host.h; do
	if [ ! -f "$incdir/rump/$h" ]; then
		echo "not ok - headers: $incdir/rump/$h missing"
		total_fail=$((total_fail + 1))
	fi
done

# run_variant NAME COMPILER STD SOURCE FULL
#   FULL=1: print every line of the program; 0: failures and summary.
run_variant() {
	name=$1 compiler=$2 std=$3 src=$4 full=$5
	exe="$tmp/headers_test_$name"
	log="$tmp/build_$name.log"
	out="$tmp/out_$name.txt"

	# $defs is deliberately unquoted: a list of -D options.
	# shellcheck disable=SC2086
	if ! $compiler "$std" -Wall -Wextra -Werror -pedantic \
	    -I "$incdir" $defs -o "$exe" "$here/$src" >"$log" 2>&1; then
		echo "not ok - headers: build $name ($compiler $std $src)"
		sed 's/^/#   /' "$log"
		total_fail=$((total_fail + 1))
		return 0
	fi

	if [ "$full" = 1 ]; then
		tag=""
	else
		tag="[$name] "
	fi
	status=0
	"$exe" "$tag" >"$out" 2>&1 || status=$?

	if [ "$full" = 1 ]; then
		cat "$out"
	else
		grep '^not ok' "$out" || true
	fi

	summary=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' \
	    "$out" | tail -n 1)
	if [ -z "$summary" ]; then
		echo "not ok - headers: run $name: no summary line (exit status $status)"
		total_fail=$((total_fail + 1))
		return 0
	fi
	set -- $summary
	total_pass=$((total_pass + $1))
	total_fail=$((total_fail + $2))
	if [ "$full" != 1 ]; then
		echo "# $name: $1 passed, $2 failed"
	fi
	if [ "$status" -ne 0 ] && [ "$2" -eq 0 ]; then
		echo "not ok - headers: run $name: exit status $status"
		total_fail=$((total_fail + 1))
	fi
	return 0
}

# Each header under test must compile on its own (self-contained),
# as C99 and as C++98/C++11.
selfcheck() {
	h=$1 compiler=$2 std=$3 ext=$4
	src="$tmp/alone_$(printf '%s' "$h" | tr '.' '_')_$std.$ext"
	printf '#include <rump/%s>\n#include <rump/%s>\nint main(void) { return 0; }\n' \
	    "$h" "$h" >"$src"
	# shellcheck disable=SC2086
	if $compiler "$std" -Wall -Wextra -Werror -pedantic -I "$incdir" \
	    -o "$tmp/alone.out" "$src" >"$tmp/alone.log" 2>&1; then
		echo "ok - headers: $h compiles alone ($std)"
		total_pass=$((total_pass + 1))
	else
		echo "not ok - headers: $h compiles alone ($std): got errors want none"
		sed 's/^/#   /' "$tmp/alone.log"
		total_fail=$((total_fail + 1))
	fi
}
for h in rumpdefs.h rumperr.h rumperrno2host.h rumpclient.h; do
	[ -f "$incdir/rump/$h" ] || continue
	selfcheck "$h" "$CC" -std=c99 c
	selfcheck "$h" "$CXX" -std=c++98 cc
	selfcheck "$h" "$CXX" -std=c++11 cc
done

# Informational: do the headers also compile in strict C99 without
# _DEFAULT_SOURCE (no BSD types from glibc)?  Not counted as a check.
# shellcheck disable=SC2086
if ! $CC -std=c99 -Wall -Wextra -Werror -pedantic -DHEADERS_STRICT_PROBE=1 \
    -I "$incdir" $defs -fsyntax-only "$here/headers_test.c" \
    >"$tmp/strict.log" 2>&1; then
	echo "# note: headers need _DEFAULT_SOURCE under strict -std=c99;" \
	    "first diagnostic:"
	grep -m 1 'error' "$tmp/strict.log" | sed 's/^/#   /' || true
fi

# rumpclient.h: the reference's prototypes (a redeclaration that differs
# does not compile), its constants, and the vfork macro, in each language
# mode.  The calls sit in sizeof, unevaluated, so nothing needs linking.
cat >"$tmp/rumpclient_test.c" <<'EOF_RC'
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1
#endif
#include <stdio.h>
#include <unistd.h>
#include <rump/rumpclient.h>
#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#ifdef __cplusplus
extern "C" {
#endif
int rumpclient_init(void);
int rumpclient_syscall(int, const void *, size_t, long *);
struct rumpclient_fork *rumpclient_prefork(void);
int rumpclient_fork_init(struct rumpclient_fork *);
void rumpclient_fork_cancel(struct rumpclient_fork *);
void rumpclient_fork_vparent(struct rumpclient_fork *);
pid_t rumpclient_fork(void);
int rumpclient_exec(const char *, char *const [], char *const []);
int rumpclient_daemon(int, int);
void rumpclient_setconnretry(time_t);
int rumpclient__closenotify(int *, enum rumpclient_closevariant);
int rumpclient_close(void);
#ifdef __cplusplus
}
#endif

static int np, nf;

static void
check(const char *tag, const char *what, long long got, long long want)
{
	if (got == want) {
		np++;
		printf("ok - headers: %srumpclient.h: %s\n", tag, what);
	} else {
		nf++;
		printf("not ok - headers: %srumpclient.h: %s: got %lld want %lld\n",
		    tag, what, got, want);
	}
}

int
main(int argc, char **argv)
{
	const char *tag = argc > 1 ? argv[1] : "";
	enum rumpclient_closevariant v = RUMPCLIENT_CLOSE_DUP2;

	check(tag, "RUMPCLIENT_RETRYCONN_INFTIME", (long long)RUMPCLIENT_RETRYCONN_INFTIME, -1);
	check(tag, "RUMPCLIENT_RETRYCONN_ONCE", (long long)RUMPCLIENT_RETRYCONN_ONCE, -2);
	check(tag, "RUMPCLIENT_RETRYCONN_DIE", (long long)RUMPCLIENT_RETRYCONN_DIE, -3);
	check(tag, "RUMPCLIENT_RETRYCONN_* are time_t", sizeof(RUMPCLIENT_RETRYCONN_DIE), sizeof(time_t));
	check(tag, "RUMPCLIENT_CLOSE_CLOSE", RUMPCLIENT_CLOSE_CLOSE, 0);
	check(tag, "RUMPCLIENT_CLOSE_DUP2", v, 1);
	check(tag, "RUMPCLIENT_CLOSE_FCLOSEFROM", RUMPCLIENT_CLOSE_FCLOSEFROM, 2);
	check(tag, "RUMPCLIENT_CLOSE_FCLOSEM (the reference's name)", RUMPCLIENT_CLOSE_FCLOSEM, 2);
	check(tag, "rumpclient_vfork() is a pid_t expression", sizeof(rumpclient_vfork()), sizeof(pid_t));
	printf("%d passed, %d failed\n", np, nf);
	return nf != 0;
}
EOF_RC

# rc_variant NAME COMPILER STD [-x c++]
rc_variant() {
	name=$1 compiler=$2 std=$3
	shift 3
	# shellcheck disable=SC2086
	if ! $compiler "$std" "$@" -Wall -Wextra -Werror -pedantic -I "$incdir" \
	    -o "$tmp/rc_$name" "$tmp/rumpclient_test.c" >"$tmp/rc_$name.log" 2>&1; then
		echo "not ok - headers: rumpclient.h: build $name ($compiler $std)"
		sed 's/^/#   /' "$tmp/rc_$name.log"
		total_fail=$((total_fail + 1))
		return 0
	fi
	"$tmp/rc_$name" "[$name] " >"$tmp/rc_$name.out" 2>&1 || true
	# All lines of the C99 run, only the failures of the others.
	if [ "$name" = c99 ]; then
		grep '^ok\|^not ok' "$tmp/rc_$name.out" || true
	else
		grep '^not ok' "$tmp/rc_$name.out" || true
	fi
	summary=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' \
	    "$tmp/rc_$name.out" | tail -n 1)
	if [ -z "$summary" ]; then
		echo "not ok - headers: rumpclient.h: run $name: no summary line"
		total_fail=$((total_fail + 1))
		return 0
	fi
	set -- $summary
	total_pass=$((total_pass + $1))
	total_fail=$((total_fail + $2))
	[ "$name" = c99 ] || echo "# rumpclient.h $name: $1 passed, $2 failed"
}
if [ -f "$incdir/rump/rumpclient.h" ] && [ -f "$incdir/rump/rump_syscalls.h" ]; then
	rc_variant c99 "$CC" -std=c99
	rc_variant c11 "$CC" -std=c11
	rc_variant c++11 "$CXX" -std=c++11 -x c++
	rc_variant c++17 "$CXX" -std=c++17 -x c++
fi

run_variant c99 "$CC" -std=c99 headers_test.c 1
run_variant c11 "$CC" -std=c11 headers_test.c 0
run_variant c++11 "$CXX" -std=c++11 headers_test.cc 0
run_variant c++17 "$CXX" -std=c++17 headers_test.cc 0

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
