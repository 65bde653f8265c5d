#!/bin/sh
# Tests/examples/run.sh PREFIX: the examples `make examples` installed under
# PREFIX/share/librump/examples run and print what they should.
set -u
E=$1/share/librump/examples
pass=0
fail=0
# expect NAME OUTPUT-FILE TEXT: the output must contain TEXT on a line.
expect() {
	if grep -qxF -- "$3" "$2"; then
		echo "ok - examples: $1: \"$3\""
		pass=$((pass + 1))
	else
		echo "not ok - examples: $1: no line \"$3\" in:"
		sed 's/^/#   /' "$2"
		fail=$((fail + 1))
	fi
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$E/hello" >"$out" 2>&1
expect hello "$out" "rump kernel up: NetBSD ABI version 799003400"
expect hello "$out" "  after rfork: pid 2, parent 1"
expect hello "$out" "  setuid(0) as uid 1000: -1, errno 1 (Operation not permitted)"

for run in "faction_client" "faction_loader $E/libhello_faction.so"; do
	# shellcheck disable=SC2086
	set -- $run
	prog=$1
	shift
	"$E/$prog" "$@" >"$out" 2>&1
	expect "$prog" "$out" 'system call 500: "hello from pid 1, uid 0" (23 bytes)'
	expect "$prog" "$out" "/dev/hello says: Hello, world!"
	expect "$prog" "$out" "after a write it says: Goodbye!"
	expect "$prog" "$out" "HELLOGETCOUNT: opened 2 times"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
