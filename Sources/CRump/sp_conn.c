/*
 * sp_conn.c: a sysproxy connection: frames in and out, the read role, and
 * the server's own requests to the client (copyin, copyout, raise) with the
 * wait for their answers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rump_core.h"
#include "rump_ipc.h"
#include "sp_server.h"

/* A thread's identity for the read role: the address of its own variable. */
static __thread char sp_self_tag;

const void *
sp_self(void)
{
	return &sp_self_tag;
}

struct sp_conn *
sp_conn_new(int fd)
{
	struct sp_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fd = fd;
	c->refs = 1;
	pthread_mutex_init(&c->mtx, NULL);
	pthread_mutex_init(&c->sendmtx, NULL);
	return c;
}

void
sp_conn_hold(struct sp_conn *c)
{
	pthread_mutex_lock(&c->mtx);
	c->refs++;
	pthread_mutex_unlock(&c->mtx);
}

void
sp_conn_rele(struct sp_conn *c)
{
	int last;

	pthread_mutex_lock(&c->mtx);
	last = --c->refs == 0;
	pthread_mutex_unlock(&c->mtx);
	if (last)
		sp_conn_free(c);
}

/*
 * Before a reader blocks on its socket it polls it for a while: a client
 * usually sends its next request within microseconds, while a blocked
 * thread's wake-up on another CPU costs tens of them on a VM.  The budget
 * adapts per connection as the event waits' does (ipc_wait.c), and at most
 * one thread fewer than the host has CPUs spins at a time.
 */
#define SP_SPIN_MIN_NS	4000
#define SP_SPIN_MAX_NS	40000

static atomic_int sp_spinners;
static int sp_spin_limit;

void
sp_spin_setup(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	sp_spin_limit = n > 1 ? (int)n - 1 : 0;
}

/* Poll for input into the read buffer: 1 if some came, 0 if not, -1 at end of
 * stream or on an error. */
static int
sp_spin(struct sp_conn *c)
{
	int64_t start, now, budget = c->spin_ns;
	ssize_t r;
	int got = 0;

	if (budget == 0)
		budget = c->spin_ns = SP_SPIN_MAX_NS / 2;
	if (atomic_fetch_add(&sp_spinners, 1) >= sp_spin_limit) {
		atomic_fetch_sub(&sp_spinners, 1);
		return 0;
	}
	start = now = rumpc_monotonic_ns();
	while (now - start < budget) {
		r = recv(c->fd, c->rbuf, sizeof(c->rbuf), MSG_DONTWAIT);
		if (r > 0) {
			c->rpos = 0;
			c->rlen = (size_t)r;
			got = 1;
			break;
		}
		if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
			got = -1;
			break;
		}
		now = rumpc_monotonic_ns();
	}
	atomic_fetch_sub(&sp_spinners, 1);
	if (got > 0) {
		now = 4 * (rumpc_monotonic_ns() - start);
		if (now > budget)
			c->spin_ns = now < SP_SPIN_MAX_NS ? now : SP_SPIN_MAX_NS;
	} else if (got == 0) {
		c->spin_ns = budget / 2 > SP_SPIN_MIN_NS ? budget / 2 : SP_SPIN_MIN_NS;
	}
	return got;
}

/*
 * Read exactly `n` bytes (reader only): 0; SP_READ_EOF if the stream ended
 * before the first of them; SP_READ_BROKEN on an error or a later end.
 */
int
sp_read(struct sp_conn *c, void *dst, size_t n)
{
	uint8_t *p = dst;
	size_t want = n;
	size_t have;
	ssize_t r;

	while (n > 0) {
		have = c->rlen - c->rpos;
		if (have > 0) {
			if (have > n)
				have = n;
			memcpy(p, c->rbuf + c->rpos, have);
			c->rpos += have;
			p += have;
			n -= have;
			continue;
		}
		/* Large bodies go straight to their destination. */
		if (n >= sizeof(c->rbuf)) {
			r = read(c->fd, p, n);
		} else {
			if (n == want && (r = sp_spin(c)) != 0) {
				if (r < 0)
					return n == want ? SP_READ_EOF : SP_READ_BROKEN;
				continue;
			}
			r = read(c->fd, c->rbuf, sizeof(c->rbuf));
		}
		if (r == 0)
			return n == want ? SP_READ_EOF : SP_READ_BROKEN;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return SP_READ_BROKEN;
		}
		if (n >= sizeof(c->rbuf)) {
			p += r;
			n -= (size_t)r;
		} else {
			c->rpos = 0;
			c->rlen = (size_t)r;
		}
	}
	return 0;
}

/* Mark the connection dead and wake its reader (any thread). */
static void
sp_kill(struct sp_conn *c)
{
	pthread_mutex_lock(&c->mtx);
	c->dead = 1;
	pthread_mutex_unlock(&c->mtx);
	shutdown(c->fd, SHUT_RDWR);
}

/* Send one frame: the header and up to two pieces of body.  0 or -1. */
int
sp_send(struct sp_conn *c, const struct sp_hdr *h, const void *b1, size_t l1,
    const void *b2, size_t l2)
{
	struct iovec iov[3] = {
		{ (void *)h, sizeof(*h) },
		{ (void *)b1, l1 },
		{ (void *)b2, l2 },
	};
	struct msghdr msg;
	struct iovec *v = iov;
	size_t nv = 3;
	ssize_t n;
	int error = 0;

	memset(&msg, 0, sizeof(msg));
	pthread_mutex_lock(&c->sendmtx);
	while (nv > 0) {
		msg.msg_iov = v;
		msg.msg_iovlen = nv;
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error = -1;
			break;
		}
		while (nv > 0 && (size_t)n >= v->iov_len) {
			n -= (ssize_t)v->iov_len;
			v++;
			nv--;
		}
		if (nv > 0) {
			v->iov_base = (uint8_t *)v->iov_base + n;
			v->iov_len -= (size_t)n;
		}
	}
	pthread_mutex_unlock(&c->sendmtx);
	if (error)
		sp_kill(c);
	return error;
}

int
sp_reply(struct sp_conn *c, uint64_t reqno, uint16_t class, uint16_t type,
    uint32_t arg, const void *body, size_t len)
{
	struct sp_hdr h = {
		.len = sizeof(h) + len, .reqno = reqno,
		.class = class, .type = type, .arg = arg,
	};

	return sp_send(c, &h, body, len, NULL, 0);
}

/*
 * The reader found the connection over (end of stream, a read error or a
 * malformed frame): fail every pending wait, let the process go, and drop
 * the socket's reference.
 */
void
sp_lost(struct sp_conn *c, const char *why)
{
	struct sp_wait *w;
	int first;

	pthread_mutex_lock(&c->mtx);
	first = !c->closed;
	c->dead = 1;
	c->closed = 1;
	c->reader = NULL;
	for (w = c->waiters; w != NULL; w = w->next) {
		if (w->state == SP_WAIT_PENDING)
			w->state = SP_WAIT_FAILED;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&c->mtx);
	if (!first)
		return;
	if (why != NULL)
		sp_log(c, why);
	shutdown(c->fd, SHUT_RDWR);
	/* Sleeping calls of the process end now, as it will. */
	if (c->mainlwp != NULL)
		rumpc_sp_proc_disconnect(c->mainlwp);
	sp_conn_rele(c);
}

/*
 * The reader read the header of an answer: put its body where the waiting
 * thread wants it.  0, or -1 after the connection was found broken.
 */
int
sp_deliver(struct sp_conn *c, const struct sp_hdr *h)
{
	size_t len = h->len - sizeof(*h);
	struct sp_wait *w;

	pthread_mutex_lock(&c->mtx);
	for (w = c->waiters; w != NULL; w = w->next)
		if (w->reqno == h->reqno && w->state == SP_WAIT_PENDING)
			break;
	if (w == NULL || len > w->cap) {
		pthread_mutex_unlock(&c->mtx);
		sp_lost(c, w == NULL ? "answer to no request" :
		    "answer longer than the request");
		return -1;
	}
	w->state = SP_WAIT_FILLING;
	pthread_mutex_unlock(&c->mtx);

	if (sp_read(c, w->buf, len) != 0) {
		pthread_mutex_lock(&c->mtx);
		w->state = SP_WAIT_PENDING;
		pthread_mutex_unlock(&c->mtx);
		sp_lost(c, "connection lost in an answer");
		return -1;
	}
	pthread_mutex_lock(&c->mtx);
	w->got = len;
	w->state = h->class == SP_ERROR ? SP_WAIT_FAILED : SP_WAIT_DONE;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&c->mtx);
	return 0;
}

/* Take the read role if nobody holds it (lock held): 1 if taken. */
int
sp_role_take(struct sp_conn *c)
{
	if (c->reader != NULL || c->closed)
		return 0;
	c->reader = sp_self();
	return 1;
}

/* Give the read role up (lock held): to a thread waiting for an answer, else
 * to a pooled thread.  Returns 1 if the pool must be asked (after unlock). */
static int
sp_role_release(struct sp_conn *c)
{
	struct sp_wait *w;

	c->reader = NULL;
	for (w = c->waiters; w != NULL; w = w->next) {
		if (w->state == SP_WAIT_PENDING) {
			pthread_cond_signal(&w->cv);
			return 0;
		}
	}
	if (c->closed)
		return 0;
	c->refs++;		/* the pool job's */
	return 1;
}

void
rumpc_sp_blocking(void)
{
	struct rumpc_sp_call *call = rumpc_thread()->sp_call;
	struct sp_conn *c = call->conn;
	int ask = 0;

	pthread_mutex_lock(&c->mtx);
	if (c->reader == sp_self())
		ask = sp_role_release(c);
	pthread_mutex_unlock(&c->mtx);
	if (ask)
		sp_pool_serve(c);
}

/*
 * Send a request that the client answers (COPYIN, COPYINSTR) and wait for
 * the answer, with the virtual CPU released.  0, or EFAULT if the client
 * cannot or did not answer.
 */
static int
sp_request(struct sp_conn *c, uint16_t type, const void *body, size_t len,
    void *buf, size_t cap, size_t *got)
{
	struct sp_wait w = { .buf = buf, .cap = cap, .state = SP_WAIT_PENDING };
	struct sp_wait **pp;
	struct sp_hdr h = { .len = sizeof(h) + len, .class = SP_REQ, .type = type };
	int held = rumpc_cpu_current() >= 0;
	int state;

	if (held)
		rumpc_cpu_release();
	pthread_cond_init(&w.cv, NULL);
	pthread_mutex_lock(&c->mtx);
	if (c->dead) {
		pthread_mutex_unlock(&c->mtx);
		state = SP_WAIT_FAILED;
		goto out;
	}
	w.reqno = h.reqno = c->nextreq++;
	w.next = c->waiters;
	c->waiters = &w;
	pthread_mutex_unlock(&c->mtx);

	(void)sp_send(c, &h, body, len, NULL, 0);

	pthread_mutex_lock(&c->mtx);
	while (w.state == SP_WAIT_PENDING || w.state == SP_WAIT_FILLING) {
		if (w.state == SP_WAIT_PENDING &&
		    (c->reader == NULL || c->reader == sp_self())) {
			if (c->closed) {
				w.state = SP_WAIT_FAILED;
				break;
			}
			/* This thread reads, or nobody does: read for ourselves. */
			c->reader = sp_self();
			pthread_mutex_unlock(&c->mtx);
			sp_serve(c, &w);
			pthread_mutex_lock(&c->mtx);
			continue;
		}
		pthread_cond_wait(&w.cv, &c->mtx);
	}
	for (pp = &c->waiters; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == &w) {
			*pp = w.next;
			break;
		}
	}
	state = w.state;
	pthread_mutex_unlock(&c->mtx);
out:
	pthread_cond_destroy(&w.cv);
	if (held)
		rumpc_cpu_claim();
	*got = w.got;
	return state == SP_WAIT_DONE ? 0 : EFAULT;
}

/* Send a one-way request (COPYOUT, RAISE), with the virtual CPU released. */
static int
sp_notify(struct sp_conn *c, uint16_t type, uint32_t arg, const void *b1,
    size_t l1, const void *b2, size_t l2)
{
	struct sp_hdr h = {
		.len = sizeof(h) + l1 + l2, .class = SP_REQ, .type = type,
		.arg = arg,
	};
	int held = rumpc_cpu_current() >= 0;
	int error;

	pthread_mutex_lock(&c->mtx);
	error = c->dead;
	h.reqno = c->nextreq++;
	pthread_mutex_unlock(&c->mtx);
	if (error)
		return EFAULT;
	if (held)
		rumpc_cpu_release();
	error = sp_send(c, &h, b1, l1, b2, l2) == 0 ? 0 : EFAULT;
	if (held)
		rumpc_cpu_claim();
	return error;
}

/* The part of the call's inline data holding [addr, addr + len), if any. */
static const uint8_t *
sp_inline(struct sp_conn *c, uint64_t addr, uint64_t len, uint64_t *avail)
{
	const struct rumpc_sp_call *call = rumpc_thread()->sp_call;
	unsigned i;

	if (call == NULL || call->conn != c)
		return NULL;
	for (i = 0; i < call->nsegs; i++) {
		const struct sp_seg *s = &call->segs[i];

		if (addr >= s->addr && addr - s->addr < s->len &&
		    len <= s->len - (addr - s->addr)) {
			*avail = s->len - (addr - s->addr);
			return s->data + (addr - s->addr);
		}
	}
	return NULL;
}

int
rumpc_sp_copyin(void *conn, const void *uaddr, void *kaddr, size_t len)
{
	struct sp_conn *c = conn;
	struct sp_copy req = { .len = len, .addr = (uintptr_t)uaddr };
	const uint8_t *data;
	uint64_t avail;
	size_t got;

	if (c == NULL)
		return EFAULT;
	if (len == 0)
		return 0;
	data = sp_inline(c, req.addr, len, &avail);
	if (data != NULL) {
		memcpy(kaddr, data, len);
		return 0;
	}
	if (sp_request(c, SP_COPYIN, &req, sizeof(req), kaddr, len, &got) != 0 ||
	    got != len)
		return EFAULT;
	return 0;
}

int
rumpc_sp_copyinstr(void *conn, const void *uaddr, void *kaddr, size_t maxlen,
    size_t *lenp)
{
	struct sp_conn *c = conn;
	struct sp_copy req = { .len = maxlen, .addr = (uintptr_t)uaddr };
	const uint8_t *data, *nul;
	uint64_t avail;
	size_t got;

	if (c == NULL || maxlen == 0)
		return c == NULL ? EFAULT : ENAMETOOLONG;
	data = sp_inline(c, req.addr, 1, &avail);
	if (data != NULL) {
		size_t n = avail < maxlen ? (size_t)avail : maxlen;

		nul = memchr(data, 0, n);
		if (nul != NULL) {
			memcpy(kaddr, data, (size_t)(nul - data) + 1);
			*lenp = (size_t)(nul - data) + 1;
			return 0;
		}
		if (avail >= maxlen)
			return ENAMETOOLONG;
		/* The string goes on past what was carried: ask. */
	}
	if (sp_request(c, SP_COPYINSTR, &req, sizeof(req), kaddr, maxlen, &got) != 0 ||
	    got == 0)
		return EFAULT;
	nul = memchr(kaddr, 0, got);
	if (nul == NULL)
		return got == maxlen ? ENAMETOOLONG : EFAULT;
	*lenp = (size_t)(nul - (const uint8_t *)kaddr) + 1;
	return 0;
}

int
rumpc_sp_copyout(void *conn, const void *kaddr, void *uaddr, size_t len)
{
	struct sp_copy req = { .len = len, .addr = (uintptr_t)uaddr };

	if (conn == NULL)
		return EFAULT;
	if (len == 0)
		return 0;
	return sp_notify(conn, SP_COPYOUT, 0, &req, sizeof(req), kaddr, len);
}

int
rumpc_sp_raise(void *conn, int signo)
{
	if (conn == NULL)
		return EFAULT;
	return sp_notify(conn, SP_RAISE, (uint32_t)signo, NULL, 0, NULL, 0);
}
