/*
 * rc_int.h: the insides of librumpclient.  Not installed.
 *
 * One host process has one connection to the server (rc_cur), shared by
 * all its threads.  Each request carries its own number; the thread that
 * holds the connection's receive role reads every frame, hands responses
 * to the threads waiting for them and serves the server's own requests
 * (copyin, copyout, anonmmap, raise).  Frames go out whole, one at a time.
 *
 * Locks, in the order they may be taken: reconmtx, sendmtx, mtx.  Nobody
 * waits for sendmtx while holding mtx.  The socket descriptor is used only
 * by a sender (under sendmtx) or by the receive role holder; whoever
 * changes it first quiesces the connection (rc_quiesce), which takes both.
 */
#ifndef RC_INT_H
#define RC_INT_H

#include "rc_stubs.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

#include "sp_wire.h"

/* Connection states. */
enum rc_state {
	RC_LIVE,	/* handshake done, requests may go out */
	RC_LOST,	/* the server went away; a reconnect may replace it */
	RC_CLOSED,	/* rumpclient_close(), or not connected yet */
};

/* A thread waiting for the answer to one of its requests. */
struct rc_waiter {
	struct rc_waiter *next;
	uint64_t reqno;
	pthread_cond_t cv;
	int done;		/* answered, or the connection failed */
	int error;		/* host errno: ERROR frame, ENOTCONN */
	uint16_t resptype;	/* of the RESP frame */
	void *resp;		/* where the response body goes ... */
	size_t respcap;		/* ... at most this much of it */
	size_t resplen;		/* the body's full length */
};

struct rc_conn {
	pthread_mutex_t mtx;	/* everything below, except as noted */
	pthread_mutex_t sendmtx;	/* one frame on the wire at a time */
	pthread_mutex_t reconmtx;	/* one reconnect at a time */
	pthread_cond_t rolecv;	/* the receive role was released */
	pthread_cond_t quietcv;	/* a quiesce finished */

	int fd;			/* the socket; see the locking note above */
	int kickfd;		/* eventfd that wakes the receive role holder */
	pid_t pid;		/* host process the connection belongs to */
	enum rc_state state;
	unsigned gen;		/* bumped whenever the socket is replaced */
	uint32_t ext;		/* SP_EXT_* flags the server agreed to */
	uint64_t nextreq;

	struct rc_waiter *waiters;
	int receiving;		/* a thread holds the receive role */
	pthread_t rxowner;	/* ... this one */
	int quiesce;		/* a quiescer wants the role to stay free */

	/* The receive role holder's: bytes read but not yet consumed, and
	 * the polling budget before it sleeps (receive.c). */
	uint8_t *rx;
	size_t rxcap, rxoff, rxlen;
	int64_t spin_ns;
	unsigned spin_skips;
	/* The receive role holder's: buffer for answering copyin. */
	uint8_t *scratch;
	size_t scratchcap;
};

/* A parsed $RUMP_SERVER. */
struct rc_server {
	int family;			/* AF_UNIX or AF_INET */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char url[160];			/* canonical form, for exec'd images */
};

/* A request and where its answer goes (rc_call). */
struct rc_req {
	uint16_t type;
	uint32_t arg;
	struct iovec body[4];		/* the request body, in pieces */
	int nbody;
	void *resp;			/* response body buffer */
	size_t respcap;
	size_t resplen;			/* out: the body's full length */
	uint16_t resptype;		/* out */
};

/* Process-wide state (conn.c). */
extern struct rc_conn *rc_cur;
extern struct rc_server rc_srv;
extern int rc_srv_parsed;
extern time_t rc_retry;
extern sigset_t rc_fullset;

/* url.c */
int rc_parse_url(const char *url, struct rc_server *srv);

/* transport.c */
int rc_dup_above_stdio(int fd, int mustmove);
int rc_socket_open(const struct rc_server *srv, const sigset_t *omask);
int rc_read_banner(struct rc_conn *c, const sigset_t *omask);
int rc_rx_reserve(struct rc_conn *c, size_t more);
int rc_send(struct rc_conn *c, struct iovec *iov, int iovcnt);
int rc_send_frame(struct rc_conn *c, uint16_t class, uint16_t type,
    uint64_t reqno, uint32_t arg, const void *body, size_t len);
int rc_error_errno(uint32_t code);

/* memory.c: this process's memory, read and written without faulting. */
int rc_mem_read(void *dst, uint64_t addr, size_t len);
int rc_mem_write(uint64_t addr, const void *src, size_t len);
ssize_t rc_mem_readstr(void *dst, uint64_t addr, size_t max);
int rc_mem_faultsafe(void);

/* serve.c: the server's requests. */
int rc_serve(struct rc_conn *c, const struct sp_hdr *h, const uint8_t *body,
    size_t len);

/* receive.c */
struct rc_conn *rc_conn_alloc(void);
void rc_conn_free(struct rc_conn *c);
int rc_call(struct rc_conn *c, struct rc_req *r, unsigned gen,
    const sigset_t *omask, unsigned *usedgen);
void rc_lost_locked(struct rc_conn *c);
void rc_quiesce(struct rc_conn *c);
void rc_unquiesce(struct rc_conn *c);
int rc_is_rxowner(struct rc_conn *c);
int rc_make_kickfd(struct rc_conn *c);

/* conn.c */
int rc_handshake(struct rc_conn *c, uint32_t kind, const void *auth,
    int cancel, const sigset_t *omask);
int rc_open(struct rc_conn *c, uint32_t kind, const void *auth,
    const sigset_t *omask);
int rc_adopt(struct rc_conn *c, struct rc_conn *fresh);
void rc_snapshot(struct rc_conn *c, unsigned *gen, uint32_t *ext);

/* reconnect.c */
int rc_recover(struct rc_conn *c, unsigned gen);

/* syscall.c */
int rc_request(uint16_t type, const void *body, size_t len, void *resp,
    size_t respcap, size_t *resplen, const sigset_t *omask);

/* Block every signal; the previous mask goes to *omask. */
#define RC_BLOCK(omask) pthread_sigmask(SIG_SETMASK, &rc_fullset, (omask))
#define RC_UNBLOCK(omask) pthread_sigmask(SIG_SETMASK, (omask), NULL)

#endif /* RC_INT_H */
