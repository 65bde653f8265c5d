#!/bin/sh
# check.sh PREFIX: the installed library's ABI promises.
#   - only documented names leave librump.so (rump_*, rumpns_*);
#   - every rump_sys_* the header declares is exported under its symbol;
#   - the library needs nothing but libc, libm, libstdc++, libgcc_s and libffi;
#   - sonames, links and the pkg-config line are as documented;
#   - librumpclient.so exports the same rump_sys_* plus rumpclient_* only.
# Prints ok/not ok lines and "N passed, N failed".
set -u
PREFIX=$1
LIB=$PREFIX/lib
pass=0
fail=0
ok() { echo "ok - abi: $1"; pass=$((pass + 1)); }
notok() { echo "not ok - abi: $1: $2"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else notok "$1" "${3:-check failed}"; fi; }

so=$LIB/librump.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check "librump.so.0 link exists" "[ -L '$LIB/librump.so.0' ] && [ -e '$LIB/librump.so.0' ]"
check "librump.so link exists" "[ -L '$LIB/librump.so' ] && [ -e '$LIB/librump.so' ]"
check "librumpuser.so exists" "[ -e '$LIB/librumpuser.so' ]"
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
check "soname is librump.so.0" "[ '$soname' = librump.so.0 ]" "got '$soname'"

# Global and weak defined dynamic symbols only (readelf columns: bind, ndx, name).
readelf --dyn-syms -W "$so" | awk '$1 ~ /^[0-9]+:$/ && $5 != "LOCAL" && $7 != "UND" && NF >= 8 { print $8 }' |
    sed 's/@.*//' | sort -u >"$tmp/exported"
grep -v -E '^(rump_|rumpns_|rump___sysimpl_)' "$tmp/exported" >"$tmp/stray"
check "exports only rump_* and rumpns_* names ($(wc -l <"$tmp/exported") symbols)" \
    "[ ! -s '$tmp/stray' ]" "stray: $(head -5 "$tmp/stray" | tr '\n' ' ')"
check "no Swift symbol is exported" "! grep -q '^\\\$s' '$tmp/exported'"

# Every prototype in rump_syscalls.h has its symbol.
sed -n 's/.*__RUMP_SYSIMPL(\([A-Za-z0-9_]*\));$/rump___sysimpl_\1/p' \
    "$PREFIX/include/rump/rump_syscalls.h" | sort -u >"$tmp/wanted"
echo rump_sys_pipe >>"$tmp/wanted"
missing=$(sort -u "$tmp/wanted" | comm -23 - "$tmp/exported" | head -5 | tr '\n' ' ')
check "all $(wc -l <"$tmp/wanted") rump_sys_* entry points are exported" "[ -z '$missing' ]" "missing: $missing"
for f in rump_init rump_syscall rump_getversion rump_pub_getversion rump_nativeabi_p \
    rump_schedule rump_unschedule rump_pub_lwproc_rfork rump_pub_lwproc_newlwp \
    rump_pub_lwproc_switch rump_pub_lwproc_releaselwp rump_pub_lwproc_curlwp \
    rump_lwproc_rfork rump_pub_cred_create rump_pub_cred_put rump_cred_create \
    rump_pub_uio_setup rump_uio_free rump_boot_gethowto rump_boot_sethowto \
    rump_boot_setsigmodel rump_boot_etfs_register rump_printevcnts \
    rump_daemonize_begin rump_daemonize_done rump_pub_allbetsareoff_setid \
    rump_pub_etfs_register rump_pub_etfs_register_withsize rump_pub_etfs_remove \
    rump_pub_kernelfsym_load rump__init rump_init_server rump_etfs_register \
    rump_etfs_register_withsize rump_etfs_remove rump_module_init rump_module_fini \
    rump_allbetsareoff_setid; do
	check "exports $f" "grep -qx '$f' '$tmp/exported'"
done
# Calls NetBSD versioned go by the reference's versioned names, so that a
# program built against the reference's headers links with this library.
for v in stat50 fstat50 lstat50 getdents30 socket30 mount50 kevent50 select50 \
    pselect50 pollts50 clock_gettime50 nanosleep50 gettimeofday50 utimes50 mknod50 \
    posix_fadvise50; do
	check "exports rump___sysimpl_$v (NetBSD's versioned name)" \
	    "grep -qx 'rump___sysimpl_$v' '$tmp/exported'"
done
check "no unversioned twin: rump___sysimpl_stat is not exported" \
    "! grep -qx 'rump___sysimpl_stat' '$tmp/exported'"

needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
stray_needed=$(echo "$needed" | tr ' ' '\n' | grep -v -E "^(libc|libm|libstdc\\+\\+|libgcc_s|libffi)\\.so|^ld-linux" | grep . | tr '\n' ' ')
check "needs only libc/libm/libstdc++/libgcc_s/libffi" "[ -z '$stray_needed' ]" "also needs: $stray_needed"
check "no Swift runtime library is needed" "! echo '$needed' | grep -q swift" "needs: $needed"
check "no Foundation inside" "! nm '$so' 2>/dev/null | grep -q 'Foundation'"

pc=$(PKG_CONFIG_PATH=$LIB/pkgconfig pkg-config --libs rump 2>/dev/null)
check "pkg-config --libs rump puts --no-as-needed before the libraries" \
    "echo '$pc' | grep -q -- '-Wl,--no-as-needed -lrumpvfs -lrump -lrumpuser'" "got '$pc'"
cflags=$(PKG_CONFIG_PATH=$LIB/pkgconfig pkg-config --cflags rump 2>/dev/null | sed 's/ *$//')
check "pkg-config --cflags rump names the include dir" "[ '$cflags' = '-I$PREFIX/include' ]" "got '$cflags'"

# The remote client library: its own soname, the same rump_sys_* symbols as
# librump plus rumpclient_*, nothing else exported, and nothing of librump needed.
cso=$LIB/librumpclient.so
check "librumpclient.so.0 link exists" "[ -L '$LIB/librumpclient.so.0' ] && [ -e '$LIB/librumpclient.so.0' ]"
check "librumpclient.so link exists" "[ -L '$cso' ] && [ -e '$cso' ]"
if [ -e "$cso" ]; then
	csoname=$(readelf -d "$cso" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	check "soname is librumpclient.so.0" "[ '$csoname' = librumpclient.so.0 ]" "got '$csoname'"
	readelf --dyn-syms -W "$cso" | awk '$1 ~ /^[0-9]+:$/ && $5 != "LOCAL" && $7 != "UND" && NF >= 8 { print $8 }' |
	    sed 's/@.*//' | sort -u >"$tmp/cexported"
	grep -v -E '^(rumpclient_|rump___sysimpl_|rump_sys_)' "$tmp/cexported" >"$tmp/cstray"
	check "librumpclient exports only rumpclient_* and rump_sys_* names ($(wc -l <"$tmp/cexported") symbols)" \
	    "[ ! -s '$tmp/cstray' ]" "stray: $(head -5 "$tmp/cstray" | tr '\n' ' ')"
	cmissing=$(sort -u "$tmp/wanted" | comm -23 - "$tmp/cexported" | head -5 | tr '\n' ' ')
	check "librumpclient exports all $(wc -l <"$tmp/wanted") rump_sys_* entry points" "[ -z '$cmissing' ]" "missing: $cmissing"
	for f in rumpclient_init rumpclient_syscall rumpclient_prefork rumpclient_fork_init \
	    rumpclient_fork_cancel rumpclient_fork_vparent rumpclient_fork rumpclient_exec \
	    rumpclient_daemon rumpclient_setconnretry rumpclient__closenotify rumpclient_close; do
		check "librumpclient exports $f" "grep -qx '$f' '$tmp/cexported'"
	done
	cneeded=$(readelf -d "$cso" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
	cstray_needed=$(echo "$cneeded" | tr ' ' '\n' | grep -v -E '^(libc|libpthread)\.so|^ld-linux' | grep . | tr '\n' ' ')
	check "librumpclient needs only libc" "[ -z '$cstray_needed' ]" "also needs: $cstray_needed"

	cpc=$(PKG_CONFIG_PATH=$LIB/pkgconfig pkg-config --libs rumpclient 2>/dev/null | sed 's/ *$//')
	check "pkg-config --libs rumpclient" "[ '$cpc' = '-L$LIB -lrumpclient' ]" "got '$cpc'"
	ccflags=$(PKG_CONFIG_PATH=$LIB/pkgconfig pkg-config --cflags rumpclient 2>/dev/null | sed 's/ *$//')
	check "pkg-config --cflags rumpclient names the include dir" "[ '$ccflags' = '-I$PREFIX/include' ]" "got '$ccflags'"

	# A client links with -lrumpclient alone; without a server it says so.
	cat >"$tmp/client.c" <<'EOC'
#include <errno.h>
#include <stdlib.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>
int main(void) {
	unsetenv("RUMP_SERVER");
	errno = 0;
	if (rump_sys_getpid() != -1 || errno != ENOTCONN) return 1;
	if (rumpclient_init() != -1 || errno != ENOENT) return 2;
	if (rumpclient_close() != -1 || errno != ENOTCONN) return 3;
	return 0;
}
EOC
	if ${CC:-cc} -Wall -Wextra -Werror -I"$PREFIX/include" -o "$tmp/client" "$tmp/client.c" \
	    -L"$LIB" -Wl,-rpath,"$LIB" -lrumpclient >"$tmp/client.log" 2>&1; then
		ok "a client builds against -lrumpclient alone"
		check "without a server: ENOTCONN, and ENOENT from rumpclient_init" "'$tmp/client' 2>/dev/null"
	else
		notok "a client builds against -lrumpclient alone" "$(head -3 "$tmp/client.log" | tr '\n' ' ')"
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
