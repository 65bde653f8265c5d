#!/bin/sh
# Tests/remote/run.sh PREFIX: remote kernels, against what is installed under
# PREFIX: PREFIX/bin/rump_server serving on a unix socket and on a loopback
# TCP port, the C programs in this folder (linked with -lrumpclient only) as
# its clients, and PREFIX/bin/rumpctl.  Ends with "N passed, N failed"; exit
# status 0 only if nothing failed.
#
# Every server is started by this script, is known by its host pid, and is
# stopped by it (SIGTERM, or SIGKILL if it does not halt).  The daemonized
# one has no pid we are told; it is found by its unique socket path.
#
# Environment: CC (default cc), REMOTE_TIMEOUT (seconds per program, default
# 120), REMOTE_KEEP=1 keeps the work directory.
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 PREFIX" >&2
	exit 2
fi
case $1 in
/*) PREFIX=$1 ;;
*) PREFIX=$(cd "$1" 2>/dev/null && pwd) || { echo "bad PREFIX: $1" >&2; exit 2; } ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
CC=${CC:-cc}
TIMEOUT=${REMOTE_TIMEOUT:-120}
SERVER=$PREFIX/bin/rump_server
RUMPCTL=$PREFIX/bin/rumpctl
# The kernel's boot parameters are the server's defaults, not the caller's.
unset RUMP_VERBOSE RUMP_NCPU RUMP_MEMLIMIT RUMP_HOSTNAME RUMP_THREADS RUMP_SERVER

# Short: a unix socket path must fit in 108 bytes.
WORK=$(mktemp -d /tmp/rrt.XXXXXX) || exit 2
pass=0
fail=0
SERVER_PID=
SERVER_NAME=
SERVER_URL=

ok() { echo "ok - remote: $1"; pass=$((pass + 1)); }
notok() { echo "not ok - remote: $1${2:+: $2}"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else notok "$1" "${3:-}"; fi; }
# the last lines of a file as comments
show() { [ -s "$1" ] && tail -n "${2:-15}" "$1" | sed 's/^/#   /'; }

# Host pids of the rump_server processes this script started: those whose
# command line names a path in $WORK or whose working directory is $WORK
# (a mktemp directory, so nothing else can match).
our_servers() {
	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2>/dev/null)" = rump_server ] || continue
		if [ "$(readlink "$d/cwd" 2>/dev/null)" = "$WORK" ] ||
		    tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -qF -- "$WORK/"; then
			echo "${d#/proc/}"
		fi
	done
}

cleanup() {
	if [ -n "$SERVER_PID" ]; then
		kill -KILL "$SERVER_PID" 2>/dev/null
	fi
	for p in $(our_servers); do
		kill -KILL "$p" 2>/dev/null
	done
	if [ "${REMOTE_KEEP:-0}" = 1 ]; then
		echo "# work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# remote kernels: PREFIX=$PREFIX"
if [ ! -x "$SERVER" ] || [ ! -x "$RUMPCTL" ]; then
	notok "rump_server and rumpctl are installed in $PREFIX/bin"
	echo "$pass passed, $fail failed"
	exit 1
fi

# ---- build the client programs
built=""
for name in files procs concurrency proto clientlib; do
	# shellcheck disable=SC2086
	if $CC -O1 -std=gnu11 -Wall -I"$PREFIX/include" -I"$ROOT/Tests/conformance" \
	    -I"$ROOT/Sources/Sysproxy" -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" \
	    -o "$WORK/$name" "$HERE/$name.c" -lrumpclient -lpthread \
	    >"$WORK/$name.cc" 2>&1; then
		built="$built $name"
		[ -s "$WORK/$name.cc" ] && { echo "# $name: compiler warnings:"; show "$WORK/$name.cc" 10; }
	else
		notok "$name.c compiles against $PREFIX with -lrumpclient"
		show "$WORK/$name.cc" 20
	fi
done
have() { case " $built " in *" $1 "*) return 0 ;; esac; return 1; }

# probe URL: a server answers at URL with its banner
probe() {
	have proto && RUMP_SERVER=$1 "$WORK/proto" --probe 2>/dev/null
}

# start_server NAME URL [OPTION...]: rump_server -s in the background, its
# output in $WORK/NAME.out and .err; waits until it answers.  Returns 1 if it
# exited, 2 if it did not answer within 10 s.
start_server() {
	SERVER_NAME=$1
	SERVER_URL=$2
	shift 2
	"$SERVER" -s "$@" "$SERVER_URL" >"$WORK/$SERVER_NAME.out" 2>"$WORK/$SERVER_NAME.err" &
	SERVER_PID=$!
	i=0
	while [ $i -lt 200 ]; do
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			wait "$SERVER_PID"
			SERVER_PID=
			return 1
		fi
		case $SERVER_URL in
		unix://*) [ -S "${SERVER_URL#unix://}" ] && probe "$SERVER_URL" && return 0 ;;
		*) probe "$SERVER_URL" && return 0 ;;
		esac
		sleep 0.05
		i=$((i + 1))
	done
	return 2
}

# stop_server: SIGTERM, then the halt must end the process with status 0
# within 10 s, and a unix socket must be gone.
stop_server() {
	[ -n "$SERVER_PID" ] || return
	kill -TERM "$SERVER_PID" 2>/dev/null
	i=0
	while kill -0 "$SERVER_PID" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		notok "$SERVER_NAME: SIGTERM halts the server within 10 s"
		kill -KILL "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	else
		wait "$SERVER_PID"
		rc=$?
		check "$SERVER_NAME: SIGTERM halts the server with status 0" "[ $rc -eq 0 ]" \
		    "exit status $rc"
	fi
	SERVER_PID=
	case $SERVER_URL in
	unix://*)
		check "$SERVER_NAME: the halted server removed its socket" \
		    "[ ! -e '${SERVER_URL#unix://}' ]" ;;
	esac
}

# run_prog LABEL PROGRAM [ARG...]: a test program against $SERVER_URL; its
# ok/not ok lines count, and it must exit 0 after its summary line.
run_prog() {
	label=$1
	prog=$2
	shift 2
	if ! have "$prog"; then
		return
	fi
	out=$WORK/$label.log
	err=$WORK/$label.stderr
	RUMP_SERVER=$SERVER_URL timeout -k 5 "$TIMEOUT" "$WORK/$prog" "$@" \
	    >"$out" 2>"$err" </dev/null
	rc=$?
	cat "$out"
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^not ok - ' "$out")
	pass=$((pass + p))
	fail=$((fail + f))
	reason=""
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		reason="timed out after ${TIMEOUT}s"
	elif [ $rc -gt 128 ]; then
		reason="crashed (signal $((rc - 128)))"
	elif ! grep -q '^# [^ ]*: [0-9]* passed, [0-9]* failed, [0-9]* skipped$' "$out"; then
		reason="ended without its summary line (exit status $rc)"
	elif [ $rc -ne 0 ]; then
		reason="exited with status $rc"
	fi
	if [ -n "$reason" ]; then
		notok "$label: $reason"
	fi
	if [ -n "$reason" ] || [ "$f" -gt 0 ]; then
		if [ -s "$err" ]; then
			echo "# $label stderr (last lines):"
			show "$err"
		fi
		if [ -s "$WORK/$SERVER_NAME.err" ]; then
			echo "# server stderr (last lines):"
			show "$WORK/$SERVER_NAME.err"
		fi
	fi
}

# rumpctl_expect LABEL WANT-STATUS COMMAND...: rumpctl's output in
# $WORK/ctl.out and .err, its exit status checked.
ctl() {
	RUMP_SERVER=$SERVER_URL timeout -k 5 30 "$RUMPCTL" "$@" >"$WORK/ctl.out" 2>"$WORK/ctl.err"
}
ctl_expect() {
	label=$1
	want=$2
	shift 2
	ctl "$@"
	rc=$?
	if [ $rc -eq "$want" ]; then
		ok "rumpctl $label (exit $want)"
		return 0
	fi
	notok "rumpctl $label" "exit status $rc, want $want"
	show "$WORK/ctl.err" 5
	return 1
}

# ---- rump_server's arguments
"$SERVER" >"$WORK/args.out" 2>"$WORK/args.err"
rc=$?
check "rump_server without a URL exits 1" "[ $rc -eq 1 ]" "exit status $rc"
check "... with a usage message" "grep -q '^usage: rump_server' '$WORK/args.err'" \
    "stderr: $(head -c 200 "$WORK/args.err")"
"$SERVER" -s -x unix://"$WORK/x" >"$WORK/args.out" 2>"$WORK/args.err"
rc=$?
check "rump_server with an unknown option exits 1 with usage" \
    "[ $rc -eq 1 ] && grep -q '^usage:' '$WORK/args.err'" "exit status $rc"
"$SERVER" -s a b >"$WORK/args.out" 2>"$WORK/args.err"
rc=$?
check "rump_server with two URLs exits 1 with usage" \
    "[ $rc -eq 1 ] && grep -q '^usage:' '$WORK/args.err'" "exit status $rc"
for url in "nonsense" "http://127.0.0.1:80" "tcp://127.0.0.1" "tcp://1.2.3:99999" "unix://"; do
	timeout -k 5 30 "$SERVER" -s "$url" >"$WORK/args.out" 2>"$WORK/args.err"
	rc=$?
	check "rump_server -s '$url' (bad URL) exits 1" "[ $rc -eq 1 ]" \
	    "exit status $rc; stderr: $(head -c 200 "$WORK/args.err")"
	check "... saying why (Invalid argument)" \
	    "grep -q 'Invalid argument' '$WORK/args.err'" "stderr: $(head -c 200 "$WORK/args.err")"
done
# Daemonizing: the parent reports the child's failure in its exit status.
timeout -k 5 30 "$SERVER" "nonsense" >"$WORK/args.out" 2>"$WORK/args.err"
rc=$?
check "rump_server 'nonsense' (daemonizing) exits non-zero" "[ $rc -ne 0 ] && [ $rc -ne 124 ]" \
    "exit status $rc"
long=$WORK/$(printf '%0200d' 0)
timeout -k 5 30 "$SERVER" -s "unix://$long" >"$WORK/args.out" 2>"$WORK/args.err"
rc=$?
check "rump_server with a 200-byte socket path exits 1 (name too long)" \
    "[ $rc -eq 1 ] && grep -q 'too long' '$WORK/args.err'" \
    "exit status $rc; stderr: $(head -c 200 "$WORK/args.err")"
"$SERVER" -s -l nosuchlibrary unix://"$WORK/x" >"$WORK/args.out" 2>"$WORK/args.err"
rc=$?
check "rump_server -l nosuchlibrary exits 1 naming it" \
    "[ $rc -eq 1 ] && grep -q 'nosuchlibrary' '$WORK/args.err'" "exit status $rc"
"$SERVER" -s -d key=/k unix://"$WORK/x" >"$WORK/args.out" 2>"$WORK/args.err"
rc=$?
check "rump_server -d without hostpath exits 1 with usage" \
    "[ $rc -eq 1 ] && grep -q 'usage:' '$WORK/args.err'" "exit status $rc"
"$SERVER" -s -d key=/k,hostpath=/dev/null,type=tape unix://"$WORK/x" >"$WORK/args.out" 2>"$WORK/args.err"
rc=$?
check "rump_server -d type=tape exits 1" "[ $rc -eq 1 ]" "exit status $rc"
check "none of these left a socket behind" "[ ! -e '$WORK/x' ]"

# ---- the unix socket server
printf 'a host file, seen through etfs\n' >"$WORK/etfs.txt"
sock=$WORK/unix.sock
start_server unix "unix://$sock" -lrumpvfs \
    -d "key=/etfs.txt,hostpath=$WORK/etfs.txt,type=reg" \
    -d "key=/hostdisk,hostpath=$WORK/disk.img,size=1m"
rc=$?
check "rump_server -s -lrumpvfs -d ... unix://$sock serves" "[ $rc -eq 0 ]" \
    "start failed ($rc): $(head -c 300 "$WORK/unix.err")"
if [ $rc -eq 0 ]; then
	check "the socket was created with the process umask ($(umask))" \
	    "[ \$(( 0\$(stat -c %a '$sock') & 0\$(umask) )) -eq 0 ]" "mode $(stat -c %a "$sock")"
	check "-d size=1m made the host disk image 1 MiB" \
	    "[ \$(stat -c %s '$WORK/disk.img') -eq 1048576 ]"
	run_prog files-unix files remote-files-unix
	run_prog procs procs
	run_prog concurrency concurrency
	run_prog clientlib clientlib
	run_prog proto-unix proto remote-proto-unix
	check "the server logged the clients it dropped" \
	    "grep -qE '^rump_sp: client.*; dropped$' '$WORK/unix.err'" \
	    "stderr: $(tail -c 300 "$WORK/unix.err")"

	# rumpctl against it
	head -c 200000 /dev/urandom >"$WORK/put.bin"
	ctl_expect "put HOSTFILE /tmp/put.bin" 0 put "$WORK/put.bin" /tmp/put.bin
	ctl_expect "cat /tmp/put.bin" 0 cat /tmp/put.bin &&
	    check "rumpctl cat returns the 200000 bytes put" "cmp -s '$WORK/ctl.out' '$WORK/put.bin'"
	ctl_expect "get /tmp/put.bin HOSTFILE" 0 get /tmp/put.bin "$WORK/got.bin" &&
	    check "rumpctl get copies the same bytes out" "cmp -s '$WORK/got.bin' '$WORK/put.bin'"
	ctl_expect "mkdir /tmp/ctldir" 0 mkdir /tmp/ctldir
	ctl_expect "mkdir /tmp/ctldir again" 1 mkdir /tmp/ctldir &&
	    check "... says 'rumpctl: /tmp/ctldir: File exists'" \
	    "grep -qx 'rumpctl: /tmp/ctldir: File exists' '$WORK/ctl.err'" "$(cat "$WORK/ctl.err")"
	ctl_expect "ls /tmp" 0 ls /tmp &&
	    check "rumpctl ls /tmp lists put.bin and ctldir" \
	    "grep -qx put.bin '$WORK/ctl.out' && grep -qx ctldir '$WORK/ctl.out'" "$(cat "$WORK/ctl.out")"
	ctl_expect "ls -l /tmp" 0 ls -l /tmp &&
	    check "rumpctl ls -l shows the mode and size of put.bin" \
	    "grep -qE '^-rw-r--r-- +200000 put.bin\$' '$WORK/ctl.out'" "$(cat "$WORK/ctl.out")" &&
	    check "rumpctl ls -l shows ctldir as a directory" \
	    "grep -qE '^drwx.* ctldir\$' '$WORK/ctl.out'" "$(cat "$WORK/ctl.out")"
	ctl_expect "ls /" 0 ls / &&
	    check "rumpctl ls / lists dev and tmp" \
	    "grep -qx dev '$WORK/ctl.out' && grep -qx tmp '$WORK/ctl.out'" "$(cat "$WORK/ctl.out")"
	ctl_expect "stat /tmp/put.bin" 0 stat /tmp/put.bin &&
	    check "rumpctl stat shows size 200000, a regular file, mode 0100644" \
	    "grep -qE '^size: +200000\$' '$WORK/ctl.out' && grep -qE '^type: +regular file\$' '$WORK/ctl.out' && grep -qE '^mode: +0100644 ' '$WORK/ctl.out'" \
	    "$(cat "$WORK/ctl.out")"
	ctl_expect "cat /etfs.txt (a -d key=...,type=reg host file)" 0 cat /etfs.txt &&
	    check "... shows the host file's bytes" "cmp -s '$WORK/ctl.out' '$WORK/etfs.txt'"
	ctl_expect "stat /hostdisk (a -d size=1m host file)" 0 stat /hostdisk &&
	    check "... is a block device" "grep -qE '^type: +block device\$' '$WORK/ctl.out'" \
	    "$(cat "$WORK/ctl.out")"
	ctl_expect "rm /tmp/put.bin" 0 rm /tmp/put.bin
	ctl_expect "rm /tmp/ctldir" 0 rm /tmp/ctldir
	ctl_expect "ls /tmp after rm" 0 ls /tmp &&
	    check "... lists neither put.bin nor ctldir" \
	    "! grep -qxE 'put.bin|ctldir' '$WORK/ctl.out'" "$(cat "$WORK/ctl.out")"
	ctl_expect "cat /nonexistent" 1 cat /nonexistent &&
	    check "... says 'rumpctl: /nonexistent: No such file or directory'" \
	    "grep -qx 'rumpctl: /nonexistent: No such file or directory' '$WORK/ctl.err'" \
	    "$(cat "$WORK/ctl.err")"
	ctl_expect "ps" 0 ps &&
	    check "rumpctl ps has the header and pid 1, uid 0" \
	    "grep -qE '^ +PID +PPID +UID +COMMAND\$' '$WORK/ctl.out' && grep -qE '^ +1 +[0-9]+ +0 ' '$WORK/ctl.out'" \
	    "$(cat "$WORK/ctl.out")" &&
	    check "rumpctl ps shows itself as a child of pid 1" \
	    "grep -qE '^ +[0-9]+ +1 +0 +rumpctl' '$WORK/ctl.out'" "$(cat "$WORK/ctl.out")"
	ctl_expect "frobnicate (unknown command)" 1 frobnicate
	stop_server
fi
unset_server_ctl() {
	env -u RUMP_SERVER timeout -k 5 30 "$RUMPCTL" ls / >"$WORK/ctl.out" 2>"$WORK/ctl.err"
}
unset_server_ctl
rc=$?
check "rumpctl without RUMP_SERVER exits 1" "[ $rc -eq 1 ]" "exit status $rc"
SERVER_URL=unix://$WORK/nobody.sock
ctl_expect "ls against a missing socket" 1 ls /

# ---- conformance programs written for librump, recompiled against
# librumpclient unchanged (rump_init becomes rumpclient_init): each against a
# server of its own, since they expect a fresh kernel.  The shared suite's
# cases come from $SHARED when it is there.
conformance_remote() {	# conformance_remote SOURCE
	name=remote-$(basename "$1" .c)
	# shellcheck disable=SC2086
	if ! $CC -O1 -std=gnu11 -I"$PREFIX/include" -include rump/rumpclient.h \
	    -Drump_init=rumpclient_init -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" \
	    -o "$WORK/$name" "$1" -lrumpclient -lpthread >"$WORK/$name.cc" 2>&1; then
		notok "$name: $(basename "$1") compiles against librumpclient"
		show "$WORK/$name.cc" 10
		return
	fi
	built="$built $name"
	if start_server "$name" "unix://$WORK/$name.sock" -lrumpvfs; then
		run_prog "$name" "$name"
		stop_server
	else
		notok "$name: rump_server starts"
	fi
}
for c in 24_fifo 26_vfs_positioned 31_poll 50_kqueue; do
	conformance_remote "$ROOT/Tests/conformance/cases/$c.c"
done
if [ -n "${SHARED:-}" ] && [ -d "$SHARED/conformance/cases" ]; then
	for c in 04_file_io 09_pipes; do
		conformance_remote "$SHARED/conformance/cases/$c.c"
	done
else
	echo "# SHARED not set: the shared suite's cases are not run remotely"
fi

# ---- a loopback TCP port: try a few until one is free
port=$((20000 + $$ % 20000))
tries=0
started=1
while [ $tries -lt 20 ]; do
	start_server tcp "tcp://127.0.0.1:$port" -lrumpvfs
	started=$?
	[ $started -eq 0 ] && break
	if [ $started -eq 2 ]; then	# alive but silent: give up on it
		kill -KILL "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	fi
	port=$((port + 1))
	tries=$((tries + 1))
done
check "rump_server -s -lrumpvfs tcp://127.0.0.1:PORT serves (port $port)" "[ $started -eq 0 ]" \
    "$(head -c 300 "$WORK/tcp.err")"
if [ $started -eq 0 ]; then
	run_prog files-tcp files remote-files-tcp
	run_prog proto-tcp proto remote-proto-tcp
	ctl_expect "ls / over TCP" 0 ls / &&
	    check "... lists dev and tmp" "grep -qx dev '$WORK/ctl.out' && grep -qx tmp '$WORK/ctl.out'"
	"$SERVER" -s "tcp://127.0.0.1:$port" >"$WORK/busy.out" 2>"$WORK/busy.err"
	rc=$?
	check "a second server on the same port exits 1 (address in use)" \
	    "[ $rc -eq 1 ] && grep -q 'in use' '$WORK/busy.err'" \
	    "exit status $rc: $(head -c 200 "$WORK/busy.err")"
	stop_server
fi

# ---- the other -l forms, and -m: the example faction's /dev/hello
ex=$PREFIX/share/librump/examples/libhello_faction.so
if [ -e "$ex" ]; then
	start_server module "unix://$WORK/mod.sock" -l librumpvfs.so -l rumpfs_tmpfs -m "$ex"
	rc=$?
	check "rump_server -l librumpvfs.so -l rumpfs_tmpfs -m .../libhello_faction.so serves" \
	    "[ $rc -eq 0 ]" "start failed ($rc): $(head -c 300 "$WORK/module.err")"
	if [ $rc -eq 0 ]; then
		# (Its read never ends: the device gives the greeting on every read.)
		ctl_expect "stat /dev/hello (the -m module's device)" 0 stat /dev/hello &&
		    check "... is a character device" \
		    "grep -qE '^type: +character device\$' '$WORK/ctl.out'" \
		    "$(head -c 200 "$WORK/ctl.out")"
		# A client that goes while it holds the device open: its process
		# ends and the device's close runs; the server carries on.
		RUMP_SERVER="unix://$WORK/mod.sock" timeout 2 "$RUMPCTL" cat /dev/hello 2>/dev/null |
		    head -c 100 >"$WORK/hello.out"
		check "a client reading /dev/hello gets the greeting" \
		    "grep -q 'Hello, world!' '$WORK/hello.out'"
		ctl_expect "ps after that client went" 0 ps &&
		    check "... its process is gone (one rumpctl process: the ps)" \
		    "[ \$(grep -c ' rumpctl\$' '$WORK/ctl.out') -eq 1 ]" \
		    "$(head -c 300 "$WORK/ctl.out")"
		stop_server
	fi
else
	echo "# $ex is not installed (make examples): -m not tested"
fi

# ---- daemonized, on a relative path, umask 077, halted by a client
if (cd "$WORK" && umask 077 && exec timeout -k 5 30 "$SERVER" -lrumpvfs unix://daemon.sock \
    >"$WORK/daemon.out" 2>"$WORK/daemon.err"); then
	ok "rump_server unix://daemon.sock (relative, daemonizing) exits 0 once it serves"
	SERVER_URL=unix://$WORK/daemon.sock
	check "the socket is in the current directory" "[ -S '$WORK/daemon.sock' ]"
	check "... with mode 700 under umask 077" "[ \$(stat -c %a '$WORK/daemon.sock') = 700 ]" \
	    "mode $(stat -c %a "$WORK/daemon.sock" 2>/dev/null)"
	check "the daemon serves" "probe '$SERVER_URL'"
	(cd "$WORK" && RUMP_SERVER=unix://daemon.sock timeout -k 5 30 "$RUMPCTL" ls / \
	    >"$WORK/ctl.out" 2>"$WORK/ctl.err")
	rc=$?
	check "a client reaches it by the relative URL" "[ $rc -eq 0 ] && grep -qx tmp '$WORK/ctl.out'" \
	    "exit status $rc: $(head -c 200 "$WORK/ctl.err")"
	ctl_expect "halt (a client's reboot halts the server)" 0 halt
	i=0
	while [ -e "$WORK/daemon.sock" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	check "after the client's reboot the socket is gone" "[ ! -e '$WORK/daemon.sock' ]"
	i=0
	while [ -n "$(our_servers)" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	check "... and the daemon has exited" "[ -z \"\$(our_servers)\" ]"
else
	notok "rump_server unix://daemon.sock (daemonizing) exits 0 once it serves" \
	    "$(head -c 300 "$WORK/daemon.err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
