/*
 * sp_server.h: the sysproxy server's parts (sp_conn.c, sp_server.c) and the
 * kernel hooks they call.  Private to librump.
 *
 * Threads: each connection has at most one thread at a time that reads its
 * socket, the one holding its read role.  An idle reader runs each request
 * as it arrives, so a call costs no thread hand-off.  A thread that must
 * wait for the client's answer (a copyin) reads the socket itself if nobody
 * else does, and hands requests that arrive meanwhile to the worker pool.
 * A thread about to sleep in the kernel gives the role up first
 * (rumpc_sp_blocking), to a thread waiting for an answer or to the pool.
 */
#ifndef RUMP_SP_SERVER_H
#define RUMP_SP_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "sp_wire.h"
#include "rump_sp.h"

/* A thread waiting for the client's answer to a request of the server. */
struct sp_wait {
	uint64_t reqno;
	void *buf;		/* where the answer's body goes */
	size_t cap;		/* its size: a longer answer is malformed */
	size_t got;		/* body bytes received */
	int state;		/* SP_WAIT_* */
	pthread_cond_t cv;
	struct sp_wait *next;
};
#define SP_WAIT_PENDING	0
#define SP_WAIT_FILLING	1	/* the reader copies the body into buf */
#define SP_WAIT_DONE	2
#define SP_WAIT_FAILED	3

/* Client memory a call carried along (SP_SYSCALL_INLINE). */
struct sp_seg {
	uint64_t addr;
	uint64_t len;
	const uint8_t *data;
};

/* The remote call a thread serves: rumpc_thread()->sp_call. */
struct rumpc_sp_call {
	struct sp_conn *conn;
	uint64_t reqno;
	const struct sp_seg *segs;
	unsigned nsegs;
	int answered;		/* the kernel halted and answered it already */
};

#define SP_SPARE_LWPS 4

struct sp_conn {
	int fd;
	pthread_mutex_t mtx;
	int refs;		/* the socket's, and one per job or call */
	int dead;		/* no more requests are read or sent */
	int closed;		/* the socket's reference is gone */
	const void *reader;	/* the thread holding the read role, or NULL */
	struct sp_wait *waiters;
	uint64_t nextreq;
	pthread_mutex_t sendmtx;

	void *mainlwp;		/* the process's first lwp; NULL before handshake */
	atomic_int mainbusy;	/* a call runs as mainlwp */
	void *spare[SP_SPARE_LWPS];	/* more lwps for concurrent calls */
	int nspare;
	int pid;		/* for log lines; 0 before handshake */
	uint32_t ext;		/* SP_EXT_* agreed in the handshake */

	/* Read buffer and polling budget (ns), used only by the reader. */
	size_t rpos, rlen;
	int64_t spin_ns;
	uint8_t rbuf[4096];
};

/* sp_conn.c */
struct sp_conn *sp_conn_new(int fd);
void sp_conn_hold(struct sp_conn *);
void sp_conn_rele(struct sp_conn *);
const void *sp_self(void);
int sp_read(struct sp_conn *, void *, size_t);
#define SP_READ_EOF	(-1)
#define SP_READ_BROKEN	(-2)
int sp_send(struct sp_conn *, const struct sp_hdr *, const void *, size_t,
    const void *, size_t);
int sp_reply(struct sp_conn *, uint64_t reqno, uint16_t class, uint16_t type,
    uint32_t arg, const void *, size_t);
void sp_lost(struct sp_conn *, const char *why);
int sp_deliver(struct sp_conn *, const struct sp_hdr *);
int sp_role_take(struct sp_conn *);
void sp_spin_setup(void);

/* sp_server.c */
void sp_serve(struct sp_conn *, struct sp_wait *until);
void sp_pool_serve(struct sp_conn *);
void sp_conn_free(struct sp_conn *);
void sp_log(const struct sp_conn *, const char *what);

/*
 * The kernel's side (Sources/RumpKernel/Remote), which C calls.  Lwps are
 * `struct lwp *` handles; each process a connection serves is known by its
 * first lwp, which the connection holds until it ends.
 */
void *rumpc_sp_proc_guest(void *conn, const char *comm, int *error);
void *rumpc_sp_proc_fork(void *mainlwp, int *error);
void rumpc_sp_proc_bind(void *lwp, void *conn);
void rumpc_sp_proc_exec(void *mainlwp, const char *comm);
void rumpc_sp_proc_disconnect(void *mainlwp);
int rumpc_sp_proc_pid(void *lwp);
void *rumpc_sp_lwp_new(void *mainlwp);
void rumpc_sp_lwp_free(void *lwp);

#endif /* RUMP_SP_SERVER_H */
