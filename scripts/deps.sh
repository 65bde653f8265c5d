#!/bin/sh
# Check (and, as root, install) what building and testing librump needs:
# the Swift toolchain, a C compiler, python3, pkg-config and libffi's headers.
set -eu

missing_pkgs=""
have() { command -v "$1" >/dev/null 2>&1; }

if ! have swift; then
	echo "deps: the Swift toolchain (swift 6.1 or later) is not on PATH;" \
	    "install it from swift.org and try again" >&2
	exit 1
fi
have cc || missing_pkgs="$missing_pkgs gcc"
have c++ || missing_pkgs="$missing_pkgs g++"
have python3 || missing_pkgs="$missing_pkgs python3"
have pkg-config || missing_pkgs="$missing_pkgs pkg-config"
if ! pkg-config --exists libffi 2>/dev/null && [ ! -f /usr/include/ffi.h ] &&
    [ ! -f /usr/include/x86_64-linux-gnu/ffi.h ]; then
	missing_pkgs="$missing_pkgs libffi-dev"
fi

[ -z "$missing_pkgs" ] && exit 0

if [ "$(id -u)" = 0 ] && have apt-get; then
	echo "deps: installing$missing_pkgs"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing_pkgs
else
	echo "deps: missing packages:$missing_pkgs" >&2
	echo "deps: install them with: sudo apt-get install$missing_pkgs" >&2
	exit 1
fi
