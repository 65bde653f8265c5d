/*
 * reconnect.c: what happens when the server goes away, per
 * rumpclient_setconnretry().  The reference's policy:
 *
 *   0 (the default)   give up at once: calls fail with ENOTCONN
 *   seconds > 0       keep trying for that long, then fail with ENOTCONN
 *   _INFTIME          keep trying for ever
 *   _ONCE             one attempt
 *   _DIE              print a message and _exit(1)
 *
 * Attempts back off (0, 0.1, 0.2 ... 0.9 s, then 1, 2 ... 10 s apart) and
 * say on stderr that the connection was lost, every two minutes that they
 * are still trying, and when they succeed after the first attempt.  A new
 * connection is a new guest: the server's process for the old one, its
 * descriptors and state, are gone.  The call that found the connection
 * lost is then sent again, as a new request.
 */
#include "rc_int.h"

#include <stdio.h>
#include <unistd.h>

void
rumpclient_setconnretry(time_t timeout)
{
	/* Values below _DIE mean nothing; the reference ignores them too. */
	if (timeout < RUMPCLIENT_RETRYCONN_DIE)
		return;
	__atomic_store_n(&rc_retry, timeout, __ATOMIC_RELAXED);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
backoff(unsigned tries)
{
	struct timespec ts = { 0, 0 };

	if (tries < 10)
		ts.tv_nsec = 100000000L * (long)tries;
	else
		ts.tv_sec = tries - 9 < 10 ? (time_t)(tries - 9) : 10;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* Replace c's socket by a new guest connection, per policy: 0 or ENOTCONN. */
static int
reconnect(struct rc_conn *c, time_t policy)
{
	double start = now(), said = start;
	struct rc_conn *fresh;
	unsigned tries;

	if (policy == 0)
		return ENOTCONN;
	if (policy == RUMPCLIENT_RETRYCONN_DIE) {
		fprintf(stderr, "rumpclient: lost the connection to the rump "
		    "kernel, exiting\n");
		_exit(1);
	}
	for (tries = 0;; tries++) {
		if (tries == 1) {
			if (policy == RUMPCLIENT_RETRYCONN_ONCE)
				return ENOTCONN;
			fprintf(stderr, "rumpclient: lost the connection to the "
			    "rump kernel, reconnecting ...\n");
			said = now();
		} else if (tries > 1 && now() - said >= 120) {
			fprintf(stderr, "rumpclient: still trying to reconnect ...\n");
			said = now();
		}
		if (policy > 0 && now() - start >= (double)policy) {
			fprintf(stderr, "rumpclient: could not reconnect in %lld "
			    "seconds\n", (long long)policy);
			return ENOTCONN;
		}
		backoff(tries);

		/* Signals stay blocked: reconmtx is held. */
		if ((fresh = rc_conn_alloc()) == NULL)
			continue;
		if (rc_open(fresh, SP_HANDSHAKE_GUEST, NULL, NULL) != 0) {
			rc_conn_free(fresh);
			continue;
		}
		if (rc_adopt(c, fresh) != 0)
			continue;
		if (tries > 0)
			fprintf(stderr, "rumpclient: reconnected\n");
		return 0;
	}
}

/*
 * A call on c (generation gen) found the connection gone.  0 if a working
 * connection is in place to try again on, else ENOTCONN.
 */
int
rc_recover(struct rc_conn *c, unsigned gen)
{
	unsigned cur;
	int e, state;

	/*
	 * A signal handler that interrupted this thread's own receiving
	 * cannot replace the socket under it.
	 */
	if (rc_is_rxowner(c))
		return ENOTCONN;

	pthread_mutex_lock(&c->reconmtx);
	pthread_mutex_lock(&c->mtx);
	state = c->state;
	cur = c->gen;
	pthread_mutex_unlock(&c->mtx);
	if (state == RC_CLOSED)
		e = ENOTCONN;		/* rumpclient_close(): stay closed */
	else if (state == RC_LIVE)
		e = 0;			/* another thread reconnected */
	else if (cur != gen)
		e = 0;			/* ... and it has been lost again since */
	else
		e = reconnect(c, __atomic_load_n(&rc_retry, __ATOMIC_RELAXED));
	pthread_mutex_unlock(&c->reconmtx);
	return e;
}
