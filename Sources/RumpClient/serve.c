/*
 * serve.c: requests the server makes of us while one of our system calls
 * runs there.  Run by the receive role holder, in the order they arrive.
 *
 *   COPYIN, COPYINSTR    answer with the bytes (a string up to its NUL); an
 *                        empty answer means the memory was unreadable, and
 *                        the server fails the call with EFAULT
 *   COPYOUT, COPYOUTSTR  store the bytes; there is no answer, and a bad
 *                        address is the application's loss, as it would be
 *                        for a local kernel writing to it
 *   ANONMMAP             map anonymous memory; answer its address or NULL
 *   RAISE                raise the (NetBSD-numbered) signal in ourselves;
 *                        it stays pending until our signal mask allows it
 */
#include "rc_int.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* NetBSD signal numbers 1-32 as this host numbers them; 0: none here. */
static const int sigmap[33] = {
	[1] = SIGHUP, [2] = SIGINT, [3] = SIGQUIT, [4] = SIGILL,
	[5] = SIGTRAP, [6] = SIGABRT, [7] = 0 /* SIGEMT */, [8] = SIGFPE,
	[9] = SIGKILL, [10] = SIGBUS, [11] = SIGSEGV, [12] = SIGSYS,
	[13] = SIGPIPE, [14] = SIGALRM, [15] = SIGTERM, [16] = SIGURG,
	[17] = SIGSTOP, [18] = SIGTSTP, [19] = SIGCONT, [20] = SIGCHLD,
	[21] = SIGTTIN, [22] = SIGTTOU, [23] = SIGIO, [24] = SIGXCPU,
	[25] = SIGXFSZ, [26] = SIGVTALRM, [27] = SIGPROF, [28] = SIGWINCH,
	[29] = 0 /* SIGINFO */, [30] = SIGUSR1, [31] = SIGUSR2,
#ifdef SIGPWR
	[32] = SIGPWR,
#endif
};

/* Copyin answers larger than this are not kept for the next one. */
#define SCRATCH_KEEP (256 * 1024)

/* Room for a copyin answer of len bytes, or NULL. */
static uint8_t *
scratch(struct rc_conn *c, size_t len)
{
	uint8_t *p;

	if (len <= c->scratchcap)
		return c->scratch;
	if ((p = malloc(len)) == NULL)
		return NULL;
	if (len <= SCRATCH_KEEP) {
		free(c->scratch);
		c->scratch = p;
		c->scratchcap = len;
	}
	return p;
}

static int
copyin(struct rc_conn *c, const struct sp_hdr *h, const struct sp_copy *cp)
{
	uint8_t *buf = NULL;
	size_t n = 0;
	ssize_t sn;
	int e;

	/* The server has no use for more than a frame's worth. */
	if (cp->len <= SP_MAXFRAME - sizeof(*h))
		buf = scratch(c, (size_t)cp->len);
	if (buf != NULL) {
		if (h->type == SP_COPYINSTR) {
			sn = rc_mem_readstr(buf, cp->addr, (size_t)cp->len);
			n = sn > 0 ? (size_t)sn : 0;
		} else if (rc_mem_read(buf, cp->addr, (size_t)cp->len) == 0) {
			n = (size_t)cp->len;
		}
	}
	e = rc_send_frame(c, SP_RESP, SP_COPYIN, h->reqno, 0, buf, n);
	if (buf != NULL && buf != c->scratch)
		free(buf);
	return e;
}

/*
 * Act on server request h with body[len].  0, or -1 if the request is
 * malformed or the answer could not be sent (the connection is then lost).
 */
int
rc_serve(struct rc_conn *c, const struct sp_hdr *h, const uint8_t *body,
    size_t len)
{
	struct sp_copy cp;
	uint64_t maplen, addr;
	void *p;

	switch (h->type) {
	case SP_COPYIN:
	case SP_COPYINSTR:
		if (len < sizeof(cp))
			return -1;
		memcpy(&cp, body, sizeof(cp));
		return copyin(c, h, &cp) == 0 ? 0 : -1;
	case SP_COPYOUT:
	case SP_COPYOUTSTR:
		if (len < sizeof(cp))
			return -1;
		memcpy(&cp, body, sizeof(cp));
		if (cp.len > len - sizeof(cp))
			return -1;
		(void)rc_mem_write(cp.addr, body + sizeof(cp), (size_t)cp.len);
		return 0;
	case SP_ANONMMAP:
		if (len < sizeof(maplen))
			return -1;
		memcpy(&maplen, body, sizeof(maplen));
		p = maplen == 0 ? MAP_FAILED : mmap(NULL, (size_t)maplen,
		    PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
		addr = p == MAP_FAILED ? 0 : (uint64_t)(uintptr_t)p;
		return rc_send_frame(c, SP_RESP, SP_ANONMMAP, h->reqno, 0,
		    &addr, sizeof(addr)) == 0 ? 0 : -1;
	case SP_RAISE:
		if (h->arg < sizeof(sigmap) / sizeof(sigmap[0]) && sigmap[h->arg] != 0)
			(void)raise(sigmap[h->arg]);
		return 0;
	default:
		/* Not something a server asks of a client. */
		return rc_send_frame(c, SP_ERROR, h->type, h->reqno,
		    SP_ERR_MALFORMED_REQUEST, NULL, 0) == 0 ? 0 : -1;
	}
}
