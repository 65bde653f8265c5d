/*
 * syscall.c: a system call in the server, and the other requests that are
 * retried across reconnects.
 *
 * A plain call is REQ SYSCALL with the argument block as its body.  When
 * the server agreed to SP_EXT_INLINE and the stub passed hints, the memory
 * the call is going to copy in goes along (REQ SYSCALL_INLINE, layout in
 * sp_wire.h), so that the server need not ask for it.  Inline data is only
 * an optimisation: whenever it cannot be gathered safely and in full (an
 * unreadable pointer, more than SP_INLINE_MAX bytes), the plain request is
 * sent and the server's copyin requests meet the problem as usual.
 */
#include "rc_int.h"

#include <stdlib.h>
#include <string.h>

/* Pointers below this are never valid; the server reports them itself. */
#define LOWEST_ADDR	4096
/* The server accepts at most this many segments in one call. */
#define MAX_SEGS	8
/* The server accepts argument blocks up to this size. */
#define MAX_ARGS	4096

/* The memory a call carries inline. */
struct inl {
	struct sp_inline_hdr hdr;
	uint8_t *segs;			/* sp_inline_seg + bytes, padded, ... */
	size_t len;
	uint8_t small[2048];
};

/* Append a segment at addr, `len` bytes long, read from our memory. */
static int
add_seg(struct inl *in, size_t cap, uint64_t addr, size_t len, int string)
{
	struct sp_inline_seg seg = { .addr = addr };
	uint8_t *p = in->segs + in->len + sizeof(seg);
	ssize_t n;

	if (cap - in->len < sizeof(seg) + SP_PAD8(len))
		return -1;
	if (string) {
		n = rc_mem_readstr(p, addr, len);
		if (n < 0)
			return -1;
		len = (size_t)n;
	} else if (rc_mem_read(p, addr, len) != 0) {
		return -1;
	}
	seg.len = len;
	memcpy(in->segs + in->len, &seg, sizeof(seg));
	memset(p + len, 0, SP_PAD8(len) - len);
	in->len += sizeof(seg) + SP_PAD8(len);
	in->hdr.nsegs++;
	return 0;
}

/*
 * Gather the memory the hints name.  0 when `in` is ready to send (free
 * in->segs if it is not in->small), -1 to send a plain request instead.
 */
static int
gather(struct inl *in, const long *args, size_t argslen,
    const struct rc_hint *hints, unsigned nhints)
{
	size_t need = 0, cap, len[MAX_SEGS];
	unsigned i, nargs = (unsigned)(argslen / sizeof(long));
	uint64_t addr, count;

	if (nhints == 0 || nhints > MAX_SEGS || argslen % 8 != 0 ||
	    argslen > MAX_ARGS || !rc_mem_faultsafe())
		return -1;
	for (i = 0; i < nhints; i++) {
		len[i] = 0;
		if (hints[i].slot >= nargs ||
		    (uint64_t)args[hints[i].slot] < LOWEST_ADDR)
			continue;
		if (hints[i].kind == RC_HINT_STR) {
			len[i] = RC_STRMAX;
		} else {
			if (hints[i].lenslot >= nargs)
				continue;
			count = (uint64_t)args[hints[i].lenslot];
			if (count > SP_INLINE_MAX)
				return -1;
			len[i] = (size_t)count * hints[i].unit;
		}
		if (len[i] > 0)
			need += sizeof(struct sp_inline_seg) + SP_PAD8(len[i]);
	}
	if (need == 0)
		return -1;

	/* Strings are counted at their longest; they may turn out to fit. */
	cap = need < SP_INLINE_MAX ? need : SP_INLINE_MAX;
	in->segs = cap <= sizeof(in->small) ? in->small : malloc(cap);
	if (in->segs == NULL)
		return -1;
	in->len = 0;
	in->hdr.argslen = (uint32_t)argslen;
	in->hdr.nsegs = 0;
	for (i = 0; i < nhints; i++) {
		if (len[i] == 0)
			continue;
		addr = (uint64_t)args[hints[i].slot];
		if (add_seg(in, cap, addr, len[i], hints[i].kind == RC_HINT_STR) != 0) {
			if (in->segs != in->small)
				free(in->segs);
			return -1;
		}
	}
	return 0;
}

/*
 * Run system call `num` on the current connection, reconnecting per policy.
 * Returns the NetBSD errno of the call, or a host errno for the transport.
 */
static int
sysproxy(int num, const long *args, size_t argslen, long *retval,
    const struct rc_hint *hints, unsigned nhints, const sigset_t *omask)
{
	struct sp_sysresp resp;
	struct rc_conn *c;
	struct rc_req r;
	struct inl in;
	unsigned gen, used;
	uint32_t ext;
	int e, inlined;

	for (;;) {
		c = __atomic_load_n(&rc_cur, __ATOMIC_ACQUIRE);
		if (c == NULL)
			return ENOTCONN;
		rc_snapshot(c, &gen, &ext);

		memset(&r, 0, sizeof(r));
		r.arg = (uint32_t)num;
		r.resp = &resp;
		r.respcap = sizeof(resp);
		inlined = (ext & SP_EXT_INLINE) &&
		    gather(&in, args, argslen, hints, nhints) == 0;
		if (inlined) {
			r.type = SP_SYSCALL_INLINE;
			r.body[0].iov_base = &in.hdr;
			r.body[0].iov_len = sizeof(in.hdr);
			r.body[1].iov_base = (void *)(uintptr_t)args;
			r.body[1].iov_len = argslen;
			r.body[2].iov_base = in.segs;
			r.body[2].iov_len = in.len;
			r.nbody = 3;
		} else {
			r.type = SP_SYSCALL;
			r.body[0].iov_base = (void *)(uintptr_t)args;
			r.body[0].iov_len = argslen;
			r.nbody = 1;
		}
		e = rc_call(c, &r, gen, omask, &used);
		if (inlined && in.segs != in.small)
			free(in.segs);

		if (e == ESTALE || e == EAGAIN)
			continue;	/* rebuilt for the new socket; server busy */
		if (e == ENOTCONN) {
			if (rc_recover(c, used) == 0)
				continue;
			return ENOTCONN;
		}
		if (e != 0)
			return e;
		if (r.resptype != SP_SYSCALL || r.resplen < sizeof(resp))
			return EPROTO;
		if (retval != NULL) {
			retval[0] = (long)resp.retval[0];
			retval[1] = (long)resp.retval[1];
		}
		return resp.error;
	}
}

int
rc_sysproxy(int num, const long *args, size_t argslen, long *retval,
    const struct rc_hint *hints, unsigned nhints)
{
	int saved = errno, e;
	sigset_t omask;

	RC_BLOCK(&omask);
	e = sysproxy(num, args, argslen, retval, hints, nhints, &omask);
	RC_UNBLOCK(&omask);
	/* The stubs decide what errno says; getpid() and friends leave it. */
	errno = saved;
	return e;
}

int
rumpclient_syscall(int num, const void *data, size_t dlen, long *retval)
{
	long small[32], *args = small;
	int saved = errno, e;

	/*
	 * The block is the caller's memory: read it safely first, or a bad
	 * pointer would fail the send halfway and cost the connection.
	 */
	if (dlen > sizeof(small) && (args = malloc(dlen)) == NULL)
		return ENOMEM;
	if (rc_mem_read(args, (uint64_t)(uintptr_t)data, dlen) != 0)
		e = EFAULT;
	else
		e = rc_sysproxy(num, args, dlen, retval, NULL, 0);
	if (args != small)
		free(args);
	errno = saved;
	return e;
}

/*
 * A request of `type` other than a system call (PREFORK), retried like
 * one.  The response body goes to resp[respcap]; *resplen is its length.
 * 0 or a host errno.
 */
int
rc_request(uint16_t type, const void *body, size_t len, void *resp,
    size_t respcap, size_t *resplen, const sigset_t *omask)
{
	struct rc_conn *c;
	struct rc_req r;
	unsigned gen, used;
	int e;

	for (;;) {
		c = __atomic_load_n(&rc_cur, __ATOMIC_ACQUIRE);
		if (c == NULL)
			return ENOTCONN;
		rc_snapshot(c, &gen, NULL);
		memset(&r, 0, sizeof(r));
		r.type = type;
		r.body[0].iov_base = (void *)(uintptr_t)body;
		r.body[0].iov_len = len;
		r.nbody = 1;
		r.resp = resp;
		r.respcap = respcap;
		e = rc_call(c, &r, gen, omask, &used);
		if (e == ESTALE || e == EAGAIN)
			continue;
		if (e == ENOTCONN && rc_recover(c, used) == 0)
			continue;
		if (e != 0)
			return e;
		if (r.resptype != type)
			return EPROTO;
		*resplen = r.resplen;
		return 0;
	}
}
