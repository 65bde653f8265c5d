/*
 * rc_stubs.h: what the generated rump_sys_* stubs of librumpclient see of
 * the library.  Not installed.
 *
 * A stub packs its arguments as librump's do and calls rc_sysproxy() with a
 * static table of hints: which argument slots point at memory the call will
 * copy in, and how much.  When the server understands the inline extension
 * (SP_EXT_INLINE in sp_wire.h) that memory travels with the request, which
 * saves the server a round trip per copyin; otherwise the hints are unused.
 */
#ifndef RC_STUBS_H
#define RC_STUBS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* The public entry points keep default visibility; the rest is hidden. */
#pragma GCC visibility push(default)
#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#pragma GCC visibility pop

/* Hint kinds. */
#define RC_HINT_STR	1	/* a NUL-terminated string, at most RC_STRMAX */
#define RC_HINT_BUF	2	/* slot[lenslot] * unit bytes */

/* The longest string sent inline: MAXPATHLEN, what path lookups copy in. */
#define RC_STRMAX	1024

/* One argument a call is going to copy in. */
struct rc_hint {
	unsigned char kind;	/* RC_HINT_* */
	unsigned char slot;	/* the argument slot holding the pointer */
	unsigned char lenslot;	/* RC_HINT_BUF: the slot holding the count */
	unsigned char unit;	/* RC_HINT_BUF: bytes per counted element */
};

/*
 * Run system call `num` in the server with the argument block `args`
 * (argslen bytes); store its two return values in retval.  Returns 0, the
 * NetBSD errno of the call, or a host errno when the server cannot be
 * reached (ENOTCONN).  errno is left as it was.
 */
int rc_sysproxy(int num, const long *args, size_t argslen, long *retval,
    const struct rc_hint *hints, unsigned nhints);

#endif /* RC_STUBS_H */
