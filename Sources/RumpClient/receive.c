/*
 * receive.c: requests and their answers on one connection.
 *
 * A caller registers a waiter with a fresh request number, sends its frame
 * and waits.  Of the waiting threads, one holds the receive role: it reads
 * frames, completes whichever waiter a response names, and serves the
 * server's requests (which carry the server's own numbers).  When its own
 * answer arrives it passes the role to another waiter.
 *
 * Signals stay blocked throughout, except while the role holder sleeps in
 * ppoll(), which restores the caller's mask: a signal the application
 * accepts is delivered then, as the reference client does between reads,
 * so that ^C still works while a remote call blocks.  A handler may itself
 * make remote calls; it then runs on the role holder's stack and simply
 * reads on its behalf (see rc_call).
 */
#include "rc_int.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SPIN_MAX_NS	40000
#define SPIN_PROBE_NS	10000
#define SPIN_PROBE_EVERY 256

/* What a spell of receiving ended with. */
enum { RX_DONE, RX_LOST, RX_QUIESCE };

/* Receive buffers above this are given back once empty. */
#define RX_KEEP (256 * 1024)

struct rc_conn *
rc_conn_alloc(void)
{
	struct rc_conn *c = calloc(1, sizeof(*c));
	struct timespec ts;

	if (c == NULL)
		return NULL;
	pthread_mutex_init(&c->mtx, NULL);
	pthread_mutex_init(&c->sendmtx, NULL);
	pthread_mutex_init(&c->reconmtx, NULL);
	pthread_cond_init(&c->rolecv, NULL);
	pthread_cond_init(&c->quietcv, NULL);
	c->fd = -1;
	c->kickfd = -1;
	c->state = RC_CLOSED;
	c->pid = getpid();
	c->spin_ns = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? SPIN_MAX_NS / 2 : -1;
	/*
	 * Numbers that an image before an exec used on this socket must not
	 * be mistaken for ours if their answers are still on the way.
	 */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	c->nextreq = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec << 8;
	return c;
}

/* Free c's memory; its descriptors are closed or owned elsewhere. */
void
rc_conn_free(struct rc_conn *c)
{
	pthread_mutex_destroy(&c->mtx);
	pthread_mutex_destroy(&c->sendmtx);
	pthread_mutex_destroy(&c->reconmtx);
	pthread_cond_destroy(&c->rolecv);
	pthread_cond_destroy(&c->quietcv);
	free(c->rx);
	free(c->scratch);
	free(c);
}

/* 1 if this thread holds c's receive role (a signal handler called in). */
int
rc_is_rxowner(struct rc_conn *c)
{
	int mine;

	pthread_mutex_lock(&c->mtx);
	mine = c->receiving && pthread_equal(c->rxowner, pthread_self());
	pthread_mutex_unlock(&c->mtx);
	return mine;
}

/*
 * The connection is gone (or being closed): fail every waiter with
 * ENOTCONN and shut the socket so that senders and the role holder notice.
 * The descriptor stays open until the connection is quiesced.
 */
void
rc_lost_locked(struct rc_conn *c)
{
	struct rc_waiter *w;

	if (c->state == RC_LIVE)
		c->state = RC_LOST;
	if (c->fd >= 0)
		shutdown(c->fd, SHUT_RDWR);
	for (w = c->waiters; w != NULL; w = w->next) {
		if (!w->done) {
			w->error = ENOTCONN;
			__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
			pthread_cond_signal(&w->cv);
		}
	}
}

/* Wake a waiter that can take the receive role. */
static void
pass_role_locked(struct rc_conn *c)
{
	struct rc_waiter *w;

	for (w = c->waiters; w != NULL; w = w->next) {
		if (!w->done) {
			pthread_cond_signal(&w->cv);
			return;
		}
	}
}

/* A RESP or ERROR frame: complete its waiter.  1 if that was `mine`. */
static int
deliver(struct rc_conn *c, const struct sp_hdr *h, const uint8_t *body,
    size_t len, struct rc_waiter *mine)
{
	struct rc_waiter *w;
	int e;

	pthread_mutex_lock(&c->mtx);
	for (w = c->waiters; w != NULL; w = w->next) {
		if (w->reqno == h->reqno && !w->done)
			break;
	}
	if (w == NULL) {
		/* An answer nobody waits for (an image before exec asked). */
		pthread_mutex_unlock(&c->mtx);
		return 0;
	}
	if (h->class == SP_ERROR) {
		e = rc_error_errno(h->arg);
		w->error = e != 0 ? e : EPROTO;
	} else {
		w->resptype = h->type;
		w->resplen = len;
		if (w->respcap > 0)
			memcpy(w->resp, body, len < w->respcap ? len : w->respcap);
	}
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	if (w != mine)
		pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&c->mtx);
	return w == mine;
}

/*
 * The next whole frame in the receive buffer: 1 (then *h, *body, *len are
 * set and the frame is consumed), 0 if more bytes are needed, -1 if the
 * stream is malformed.
 */
static int
next_frame(struct rc_conn *c, struct sp_hdr *h, const uint8_t **body, size_t *len)
{
	size_t have = c->rxlen - c->rxoff;

	if (have < sizeof(*h))
		return 0;
	memcpy(h, c->rx + c->rxoff, sizeof(*h));
	if (h->len < sizeof(*h) || h->len > SP_MAXFRAME)
		return -1;
	if (have < h->len)
		return 0;
	*body = c->rx + c->rxoff + sizeof(*h);
	*len = (size_t)h->len - sizeof(*h);
	c->rxoff += (size_t)h->len;
	return 1;
}

/*
 * Before sleeping, the receiver polls the socket for a while: an answer
 * usually comes within microseconds, and a sleeping thread's wake-up from
 * another CPU costs tens of them on a VM.  The budget adapts: an answer
 * that came at t raises it towards 4t; a poll that came up empty halves it,
 * down to nothing (then a poll is tried again now and then).  Only where
 * the host has more than one CPU, or the poll would take the CPU the server
 * needs.
 */

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Poll for bytes: 1 if some came, 0 if not, -1 if the connection failed. */
static int
spin(struct rc_conn *c)
{
	int64_t start, t, budget = c->spin_ns;
	ssize_t n;

	if (budget < 0)
		return 0;
	if (budget == 0) {
		if (++c->spin_skips < SPIN_PROBE_EVERY)
			return 0;
		c->spin_skips = 0;
		budget = SPIN_PROBE_NS;
	}
	start = t = now_ns();
	while (t - start < budget) {
		n = recv(c->fd, c->rx + c->rxlen, c->rxcap - c->rxlen, MSG_DONTWAIT);
		if (n > 0) {
			c->rxlen += (size_t)n;
			t = 4 * (now_ns() - start);
			if (t > c->spin_ns)
				c->spin_ns = t < SPIN_MAX_NS ? t : SPIN_MAX_NS;
			return 1;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			return -1;
		t = now_ns();
	}
	c->spin_ns = budget / 2 >= 2000 ? budget / 2 : 0;
	return 0;
}

/*
 * Read more bytes into the receive buffer, sleeping in ppoll() with the
 * caller's signal mask if none are there.  RX_DONE when something may have
 * changed (bytes, a signal, a kick), RX_LOST when the connection failed.
 */
static int
fill(struct rc_conn *c, const sigset_t *omask)
{
	struct pollfd p[2] = {
		{ .fd = c->fd, .events = POLLIN },
		{ .fd = c->kickfd, .events = POLLIN },
	};
	size_t have = c->rxlen - c->rxoff, more = 0;
	struct sp_hdr h;
	uint64_t junk;
	ssize_t n;

	/* Room for the rest of a large frame in one go, else 64 KiB. */
	if (have >= sizeof(h)) {
		memcpy(&h, c->rx + c->rxoff, sizeof(h));
		more = (size_t)h.len - have;
	}
	if (more < 65536)
		more = 65536;
	if (have == 0 && c->rxcap > RX_KEEP) {
		free(c->rx);
		c->rx = NULL;
		c->rxcap = c->rxoff = c->rxlen = 0;
	}
	if (rc_rx_reserve(c, more) != 0)
		return RX_LOST;
	switch (have == 0 ? spin(c) : 0) {
	case 1:
		return RX_DONE;
	case -1:
		return RX_LOST;
	}

	if (ppoll(p, c->kickfd >= 0 ? 2 : 1, NULL, omask) == -1)
		return errno == EINTR ? RX_DONE : RX_LOST;
	if (c->kickfd >= 0 && (p[1].revents & POLLIN))
		(void)read(c->kickfd, &junk, sizeof(junk));
	if (p[0].revents == 0)
		return RX_DONE;
	n = read(c->fd, c->rx + c->rxlen, c->rxcap - c->rxlen);
	if (n > 0) {
		c->rxlen += (size_t)n;
		return RX_DONE;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return RX_DONE;
	return RX_LOST;
}

/*
 * Hold the receive role until `mine` is answered.  Nested: a signal
 * handler interrupted this thread's own spell, which resumes afterwards,
 * so only the outer one steps aside for a quiescer.
 */
static int
receive(struct rc_conn *c, struct rc_waiter *mine, const sigset_t *omask,
    int nested)
{
	const uint8_t *body;
	struct sp_hdr h;
	size_t len;
	int r;

	for (;;) {
		while ((r = next_frame(c, &h, &body, &len)) == 1) {
			switch (h.class) {
			case SP_RESP:
			case SP_ERROR:
				if (deliver(c, &h, body, len, mine))
					return RX_DONE;
				break;
			case SP_REQ:
				if (rc_serve(c, &h, body, len) != 0)
					return RX_LOST;
				break;
			default:
				return RX_LOST;
			}
		}
		if (r == -1)
			return RX_LOST;
		if (__atomic_load_n(&mine->done, __ATOMIC_ACQUIRE))
			return RX_DONE;
		if (!nested && __atomic_load_n(&c->quiesce, __ATOMIC_ACQUIRE))
			return RX_QUIESCE;
		if (fill(c, omask) == RX_LOST)
			return RX_LOST;
	}
}

/*
 * Send request r on c and wait for its answer.  `gen` is the connection
 * generation the caller built r for; if the socket was replaced since,
 * ESTALE asks it to build again.  Returns 0 (r's response fields are set),
 * the errno of an ERROR answer, or ENOTCONN if the connection failed;
 * *usedgen says which generation that concerns.
 */
int
rc_call(struct rc_conn *c, struct rc_req *r, unsigned gen,
    const sigset_t *omask, unsigned *usedgen)
{
	struct sp_hdr h = {
		.class = SP_REQ, .type = r->type, .arg = r->arg,
	};
	struct iovec iov[5];
	struct rc_waiter w, **pp;
	pthread_t self = pthread_self();
	int i, e, rx, stale;

	memset(&w, 0, sizeof(w));
	w.resp = r->resp;
	w.respcap = r->respcap;
	h.len = sizeof(h);
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	for (i = 0; i < r->nbody; i++) {
		iov[i + 1] = r->body[i];
		h.len += r->body[i].iov_len;
	}

	pthread_mutex_lock(&c->mtx);
	*usedgen = c->gen;
	if (c->gen != gen) {
		pthread_mutex_unlock(&c->mtx);
		return ESTALE;
	}
	if (c->state != RC_LIVE) {
		pthread_mutex_unlock(&c->mtx);
		return ENOTCONN;
	}
	pthread_cond_init(&w.cv, NULL);
	w.reqno = h.reqno = c->nextreq++;
	w.next = c->waiters;
	c->waiters = &w;
	pthread_mutex_unlock(&c->mtx);

	/*
	 * The socket may have been replaced while we waited for sendmtx (a
	 * reconnect after the connection was lost under us); the request
	 * belongs to the old one and must not reach the new server process.
	 * The generation only changes with sendmtx held.
	 */
	pthread_mutex_lock(&c->sendmtx);
	stale = c->gen != *usedgen;
	e = stale ? ENOTCONN : rc_send(c, iov, r->nbody + 1);
	pthread_mutex_unlock(&c->sendmtx);

	pthread_mutex_lock(&c->mtx);
	if (stale && !w.done) {
		w.error = ENOTCONN;
		w.done = 1;
	} else if (e != 0) {
		rc_lost_locked(c);
	}
	while (!w.done) {
		if (c->receiving && pthread_equal(c->rxowner, self)) {
			/* Called from a signal handler inside our own ppoll(). */
			pthread_mutex_unlock(&c->mtx);
			rx = receive(c, &w, omask, 1);
			pthread_mutex_lock(&c->mtx);
			if (rx == RX_LOST)
				rc_lost_locked(c);
		} else if (!c->receiving && !c->quiesce) {
			c->receiving = 1;
			c->rxowner = self;
			pthread_mutex_unlock(&c->mtx);
			rx = receive(c, &w, omask, 0);
			pthread_mutex_lock(&c->mtx);
			c->receiving = 0;
			if (rx == RX_LOST)
				rc_lost_locked(c);
			pthread_cond_broadcast(&c->rolecv);
			if (!c->quiesce)
				pass_role_locked(c);
		} else {
			pthread_cond_wait(&w.cv, &c->mtx);
		}
	}
	for (pp = &c->waiters; *pp != &w; pp = &(*pp)->next)
		continue;
	*pp = w.next;
	pthread_mutex_unlock(&c->mtx);
	pthread_cond_destroy(&w.cv);

	if (w.error != 0)
		return w.error;
	r->resplen = w.resplen;
	r->resptype = w.resptype;
	return 0;
}

/*
 * Get c to itself: no frame being sent, no thread in the receive role,
 * none about to take it.  Returns with sendmtx and mtx held.  A role
 * holder asleep in ppoll() is woken through kickfd and steps aside; it
 * never waits for us while holding the role, so this cannot deadlock.
 */
void
rc_quiesce(struct rc_conn *c)
{
	uint64_t one = 1;

	pthread_mutex_lock(&c->mtx);
	while (c->quiesce)
		pthread_cond_wait(&c->quietcv, &c->mtx);
	__atomic_store_n(&c->quiesce, 1, __ATOMIC_RELEASE);
	while (c->receiving) {
		if (c->kickfd >= 0)
			(void)write(c->kickfd, &one, sizeof(one));
		pthread_cond_wait(&c->rolecv, &c->mtx);
	}
	pthread_mutex_unlock(&c->mtx);
	pthread_mutex_lock(&c->sendmtx);
	pthread_mutex_lock(&c->mtx);
}

/* Undo rc_quiesce(): let the waiters receive again. */
void
rc_unquiesce(struct rc_conn *c)
{
	__atomic_store_n(&c->quiesce, 0, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&c->quietcv);
	pass_role_locked(c);
	pthread_mutex_unlock(&c->mtx);
	pthread_mutex_unlock(&c->sendmtx);
}

/* Make c's kick descriptor if it has none: 0 or a host errno. */
int
rc_make_kickfd(struct rc_conn *c)
{
	if (c->kickfd >= 0)
		return 0;
	c->kickfd = rc_dup_above_stdio(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), 0);
	return c->kickfd >= 0 ? 0 : errno;
}
