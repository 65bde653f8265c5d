/*
 * sp_server.c: the sysproxy server: the listening socket, the worker pool,
 * and what each client request does (handshakes, system calls, prefork).
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "rump_core.h"
#include "rump_ipc.h"
#include "sp_server.h"

int rump_syscall(int num, void *data, size_t dlen, long *retval);

/* Largest request bodies, by type; longer frames are malformed. */
#define SP_MAX_HANDSHAKE	4096
#define SP_MAX_SYSCALL		4096
#define SP_MAX_INLINE		(SP_INLINE_MAX + 4096)
#define SP_MAX_PREFORK		64
/* Most threads the pool starts; more jobs wait for one. */
#define SP_MAX_THREADS		1024

static struct {
	int fd;
	int unix_socket;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	pthread_t thread;
	pthread_mutex_t mtx;
	int running;
} listener = { .fd = -1, .mtx = PTHREAD_MUTEX_INITIALIZER };

void
sp_log(const struct sp_conn *c, const char *what)
{
	char line[256];
	int n;

	if (c->pid > 0)
		n = snprintf(line, sizeof(line), "rump_sp: client (pid %d): %s; dropped\n",
		    c->pid, what);
	else
		n = snprintf(line, sizeof(line), "rump_sp: client: %s; dropped\n", what);
	if (n > 0)
		rumpc_write_stderr(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* ------------------------------------------------------------------ */
/* The worker pool                                                     */

enum { JOB_SERVE, JOB_REQUEST };

struct sp_job {
	struct sp_job *next;
	int kind;
	struct sp_conn *conn;		/* holds a reference for the job */
	struct sp_hdr hdr;		/* JOB_REQUEST: the request ... */
	uint8_t *body;			/* ... and its body (malloc'd) */
};

static struct {
	pthread_mutex_t mtx;
	pthread_cond_t cv;
	struct sp_job *head, *tail;
	int queued, idle, threads;
} pool = { .mtx = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static void handle(struct sp_conn *, const struct sp_hdr *, uint8_t *);

static void
run_job(struct sp_job *job)
{
	struct sp_conn *c = job->conn;
	int serve;

	if (job->kind == JOB_REQUEST)
		handle(c, &job->hdr, job->body);
	free(job->body);
	pthread_mutex_lock(&c->mtx);
	serve = c->reader == sp_self() || sp_role_take(c);
	pthread_mutex_unlock(&c->mtx);
	if (serve)
		sp_serve(c, NULL);
	sp_conn_rele(c);
	free(job);
}

static void *
pool_thread(void *arg)
{
	struct sp_job *job;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&pool.mtx);
		while (pool.head == NULL) {
			pool.idle++;
			pthread_cond_wait(&pool.cv, &pool.mtx);
			pool.idle--;
		}
		job = pool.head;
		pool.head = job->next;
		if (pool.head == NULL)
			pool.tail = NULL;
		pool.queued--;
		pthread_mutex_unlock(&pool.mtx);
		run_job(job);
	}
	return NULL;
}

/*
 * Start a server thread with every signal blocked: the program's signals
 * are for its own threads, not for the ones serving clients.
 */
static int
sp_thread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *))
{
	sigset_t all, old;
	int error;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	error = pthread_create(t, attr, fn, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return error;
}

/* Queue a job; the caller has taken its reference on the connection. */
static void
pool_submit(struct sp_job *job)
{
	pthread_attr_t attr;
	pthread_t t;
	int spawn;

	pthread_mutex_lock(&pool.mtx);
	job->next = NULL;
	if (pool.tail != NULL)
		pool.tail->next = job;
	else
		pool.head = job;
	pool.tail = job;
	pool.queued++;
	spawn = pool.queued > pool.idle && pool.threads < SP_MAX_THREADS;
	if (spawn)
		pool.threads++;
	else
		pthread_cond_signal(&pool.cv);
	pthread_mutex_unlock(&pool.mtx);
	if (!spawn)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	if (sp_thread_create(&t, &attr, pool_thread) != 0) {
		/* The job waits for a thread that exists. */
		pthread_mutex_lock(&pool.mtx);
		pool.threads--;
		pthread_cond_signal(&pool.cv);
		pthread_mutex_unlock(&pool.mtx);
	}
	pthread_attr_destroy(&attr);
}

/* Someone must read `c` (its reader gave up the role); the ref is taken. */
void
sp_pool_serve(struct sp_conn *c)
{
	struct sp_job *job = calloc(1, sizeof(*job));

	if (job == NULL) {
		/* Without memory nobody can read this client: end it. */
		shutdown(c->fd, SHUT_RDWR);
		sp_conn_rele(c);
		return;
	}
	job->kind = JOB_SERVE;
	job->conn = c;
	pool_submit(job);
}

/* ------------------------------------------------------------------ */
/* Lwps for calls                                                      */

/* The lwp a call runs as: the process's first if free, else a spare. */
static void *
lwp_get(struct sp_conn *c)
{
	int free_ = 0;
	void *l = NULL;

	if (atomic_compare_exchange_strong(&c->mainbusy, &free_, 1))
		return c->mainlwp;
	pthread_mutex_lock(&c->mtx);
	if (c->nspare > 0)
		l = c->spare[--c->nspare];
	pthread_mutex_unlock(&c->mtx);
	return l != NULL ? l : rumpc_sp_lwp_new(c->mainlwp);
}

static void
lwp_put(struct sp_conn *c, void *l)
{
	if (l == c->mainlwp) {
		atomic_store(&c->mainbusy, 0);
		return;
	}
	pthread_mutex_lock(&c->mtx);
	if (c->nspare < SP_SPARE_LWPS) {
		c->spare[c->nspare++] = l;
		l = NULL;
	}
	pthread_mutex_unlock(&c->mtx);
	if (l != NULL)
		rumpc_sp_lwp_free(l);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

static int
reply_error(struct sp_conn *c, const struct sp_hdr *h, uint32_t error)
{
	return sp_reply(c, h->reqno, SP_ERROR, h->type, error, NULL, 0);
}

/* Answer a handshake: the result, and the extension flags if asked. */
static void
reply_handshake(struct sp_conn *c, const struct sp_hdr *h, int with_ext)
{
	uint32_t body[2] = { 0, c->ext };

	(void)sp_reply(c, h->reqno, SP_RESP, SP_HANDSHAKE, 0, body,
	    with_ext ? 8 : 4);
}

/* The program name in a guest or exec handshake, and whether the client
 * appended the extension tag after its NUL. */
static int
handshake_name(const uint8_t *body, size_t len, char *name, size_t cap)
{
	const uint8_t *nul = memchr(body, 0, len);
	size_t n = nul != NULL ? (size_t)(nul - body) : len;

	if (n >= cap)
		n = cap - 1;
	memcpy(name, body, n);
	name[n] = '\0';
	return nul != NULL && len - (size_t)(nul - body) - 1 >= SP_EXT_TAGLEN &&
	    memcmp(nul + 1, SP_EXT_TAG, SP_EXT_TAGLEN) == 0;
}

/* Run one system call for the client and answer it. */
static void
run_syscall(struct sp_conn *c, const struct sp_hdr *h, const uint8_t *args,
    size_t argslen, const struct sp_seg *segs, unsigned nsegs)
{
	/* Zero-filled: a short block reads as zero arguments, not garbage. */
	uint64_t block[16] = { 0 };
	struct rumpc_sp_call call = {
		.conn = c, .reqno = h->reqno, .segs = segs, .nsegs = nsegs,
	};
	struct rumpc_thread *t = rumpc_thread();
	struct sp_sysresp resp = { 0 };
	long rv[2] = { 0, 0 };
	void *l;

	memcpy(block, args, argslen < sizeof(block) ? argslen : sizeof(block));
	l = lwp_get(c);
	if (l == NULL) {
		resp.error = ENOMEM;
		goto answer;
	}
	rumpc_set_curlwp(l, false);
	t->sp_call = &call;
	resp.error = rump_syscall((int)h->arg, block, argslen, rv);
	t->sp_call = NULL;
	rumpc_set_curlwp(NULL, false);
	lwp_put(c, l);
	resp.retval[0] = rv[0];
	resp.retval[1] = rv[1];
	if (call.answered)
		return;
answer:
	(void)sp_reply(c, h->reqno, SP_RESP, SP_SYSCALL, 0, &resp, sizeof(resp));
}

/* SP_SYSCALL_INLINE: the argument block, then the client memory it carries. */
static void
run_inline_syscall(struct sp_conn *c, const struct sp_hdr *h, const uint8_t *body)
{
	size_t len = h->len - sizeof(*h), off;
	struct sp_inline_hdr ih;
	struct sp_seg segs[8];
	unsigned i;

	if (len < sizeof(ih))
		goto malformed;
	memcpy(&ih, body, sizeof(ih));
	off = sizeof(ih) + SP_PAD8(ih.argslen);
	if (ih.argslen > SP_MAX_SYSCALL || ih.nsegs > 8 || off > len)
		goto malformed;
	for (i = 0; i < ih.nsegs; i++) {
		struct sp_inline_seg s;

		if (len - off < sizeof(s))
			goto malformed;
		memcpy(&s, body + off, sizeof(s));
		off += sizeof(s);
		if (s.len > len - off || SP_PAD8(s.len) > len - off)
			goto malformed;
		segs[i].addr = s.addr;
		segs[i].len = s.len;
		segs[i].data = body + off;
		off += SP_PAD8(s.len);
	}
	run_syscall(c, h, body + sizeof(ih), ih.argslen, segs, ih.nsegs);
	return;
malformed:
	/* Perhaps not the reader here: the reader finds the socket shut. */
	(void)reply_error(c, h, SP_ERR_MALFORMED_REQUEST);
	sp_log(c, "malformed inline system call");
	shutdown(c->fd, SHUT_RDWR);
}

/* ------------------------------------------------------------------ */
/* Prefork: processes waiting for the host child's connection           */

struct sp_prefork {
	struct sp_prefork *next;
	uint32_t cookie[SP_AUTHLEN / 4];
	void *lwp;			/* the new process's first lwp */
	struct sp_conn *owner;		/* the parent's connection, or NULL */
	int64_t expires;		/* once the parent is gone: when it goes */
	uint32_t ext;
};

/*
 * How long a prefork outlives its parent's connection: daemon(3) has the
 * parent exit at once, and its child connects a moment later.
 */
#define SP_PREFORK_GRACE_NS	((int64_t)10 * 1000000000)

static pthread_mutex_t prefork_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct sp_prefork *preforks;

static void
do_prefork(struct sp_conn *c, const struct sp_hdr *h)
{
	struct sp_prefork *pf = calloc(1, sizeof(*pf));
	int error = 0;

	if (pf == NULL) {
		(void)reply_error(c, h, SP_ERR_NOMEM);
		return;
	}
	pf->lwp = rumpc_sp_proc_fork(c->mainlwp, &error);
	if (pf->lwp == NULL ||
	    getrandom(pf->cookie, sizeof(pf->cookie), 0) != sizeof(pf->cookie)) {
		if (pf->lwp != NULL)
			rumpc_sp_lwp_free(pf->lwp);
		free(pf);
		(void)reply_error(c, h, SP_ERR_RFORK_FAILED);
		return;
	}
	pf->owner = c;
	pf->ext = c->ext;
	pthread_mutex_lock(&prefork_mtx);
	pf->next = preforks;
	preforks = pf;
	pthread_mutex_unlock(&prefork_mtx);
	(void)sp_reply(c, h->reqno, SP_RESP, SP_PREFORK, 0, pf->cookie,
	    sizeof(pf->cookie));
}

/* Unlink the orphaned preforks whose time is up (lock held). */
static struct sp_prefork *
prefork_expired(void)
{
	struct sp_prefork **pp, *pf, *gone = NULL;
	int64_t now = rumpc_monotonic_ns();

	for (pp = &preforks; *pp != NULL; ) {
		pf = *pp;
		if (pf->owner == NULL && pf->expires <= now) {
			*pp = pf->next;
			pf->next = gone;
			gone = pf;
		} else {
			pp = &pf->next;
		}
	}
	return gone;
}

/* Free unlinked preforks: their processes end. */
static void
prefork_free(struct sp_prefork *gone)
{
	struct sp_prefork *pf;

	while ((pf = gone) != NULL) {
		gone = pf->next;
		rumpc_sp_lwp_free(pf->lwp);
		free(pf);
	}
}

/* Take the prefork with this cookie off the list (NULL: none). */
static struct sp_prefork *
prefork_claim(const uint32_t *cookie)
{
	struct sp_prefork **pp, *pf = NULL, *gone;

	pthread_mutex_lock(&prefork_mtx);
	gone = prefork_expired();
	for (pp = &preforks; *pp != NULL; pp = &(*pp)->next) {
		if (memcmp((*pp)->cookie, cookie, SP_AUTHLEN) == 0) {
			pf = *pp;
			*pp = pf->next;
			break;
		}
	}
	pthread_mutex_unlock(&prefork_mtx);
	prefork_free(gone);
	return pf;
}

/* A connection ends: the preforks it made that no child claimed yet get a
 * grace period, and those whose grace is over go. */
static void
prefork_orphan(struct sp_conn *c)
{
	struct sp_prefork *pf, *gone;
	int64_t expires = rumpc_monotonic_ns() + SP_PREFORK_GRACE_NS;

	pthread_mutex_lock(&prefork_mtx);
	for (pf = preforks; pf != NULL; pf = pf->next) {
		if (pf->owner == c) {
			pf->owner = NULL;
			pf->expires = expires;
		}
	}
	gone = prefork_expired();
	pthread_mutex_unlock(&prefork_mtx);
	prefork_free(gone);
}

/* ------------------------------------------------------------------ */
/* Handshakes (run by the reader, before anything else of the client)  */

/* 0, or the reason to drop the client. */
static const char *
do_handshake(struct sp_conn *c, const struct sp_hdr *h, const uint8_t *body)
{
	size_t len = h->len - sizeof(*h);
	char name[64];
	int tag, error = 0;

	switch (h->arg) {
	case SP_HANDSHAKE_GUEST:
		tag = handshake_name(body, len, name, sizeof(name));
		c->mainlwp = rumpc_sp_proc_guest(c, name, &error);
		if (c->mainlwp == NULL) {
			(void)reply_error(c, h, SP_ERR_RFORK_FAILED);
			return "cannot make a process for it";
		}
		c->pid = rumpc_sp_proc_pid(c->mainlwp);
		c->ext = tag ? SP_EXT_INLINE : 0;
		reply_handshake(c, h, tag);
		return NULL;
	case SP_HANDSHAKE_FORK: {
		struct sp_handshake_fork hf;
		struct sp_prefork *pf;

		if (len < sizeof(hf))
			return "fork handshake too short";
		memcpy(&hf, body, sizeof(hf));
		pf = prefork_claim(hf.auth);
		if (pf == NULL) {
			(void)reply_error(c, h, SP_ERR_INVALID_PREFORK);
			return "fork handshake with an unknown cookie";
		}
		if (hf.cancel) {
			rumpc_sp_lwp_free(pf->lwp);
			free(pf);
			reply_handshake(c, h, 0);
			return "fork cancelled";
		}
		rumpc_sp_proc_bind(pf->lwp, c);
		c->mainlwp = pf->lwp;
		c->pid = rumpc_sp_proc_pid(c->mainlwp);
		c->ext = pf->ext;
		free(pf);
		reply_handshake(c, h, c->ext != 0);
		return NULL;
	}
	case SP_HANDSHAKE_EXEC:
		tag = handshake_name(body, len, name, sizeof(name));
		rumpc_sp_proc_exec(c->mainlwp, name);
		c->ext = tag ? SP_EXT_INLINE : 0;
		reply_handshake(c, h, tag);
		return NULL;
	default:
		(void)reply_error(c, h, SP_ERR_AUTH);
		return "authenticated handshakes are not supported";
	}
}

/* A request other than a handshake (reader or pool thread). */
static void
handle(struct sp_conn *c, const struct sp_hdr *h, uint8_t *body)
{
	switch (h->type) {
	case SP_SYSCALL:
		run_syscall(c, h, body, h->len - sizeof(*h), NULL, 0);
		break;
	case SP_SYSCALL_INLINE:
		run_inline_syscall(c, h, body);
		break;
	case SP_PREFORK:
		do_prefork(c, h);
		break;
	case SP_HANDSHAKE: {
		const char *bad = do_handshake(c, h, body);

		if (bad != NULL) {
			sp_log(c, bad);
			shutdown(c->fd, SHUT_RDWR);
		}
		break;
	}
	}
}

/* Why a request header is unacceptable, or NULL.  *code: the ERROR to send. */
static const char *
check_request(const struct sp_conn *c, const struct sp_hdr *h, uint32_t *code)
{
	uint64_t len = h->len - sizeof(*h);

	*code = SP_ERR_MALFORMED_REQUEST;
	switch (h->type) {
	case SP_HANDSHAKE:
		if (len > SP_MAX_HANDSHAKE)
			return "oversized handshake";
		if (c->mainlwp != NULL && h->arg != SP_HANDSHAKE_EXEC)
			return "second handshake";
		if (c->mainlwp == NULL && h->arg == SP_HANDSHAKE_EXEC)
			return "exec handshake before any other";
		return NULL;
	case SP_SYSCALL:
	case SP_PREFORK:
	case SP_SYSCALL_INLINE:
		if (c->mainlwp == NULL) {
			*code = SP_ERR_AUTH;
			return "request before the handshake";
		}
		if (h->type == SP_SYSCALL_INLINE && !(c->ext & SP_EXT_INLINE))
			return "unknown request type";
		if (len > (h->type == SP_SYSCALL ? SP_MAX_SYSCALL :
		    h->type == SP_PREFORK ? SP_MAX_PREFORK : SP_MAX_INLINE))
			return "oversized request";
		return NULL;
	default:
		return "unknown request type";
	}
}

/*
 * Read and act on frames while holding c's read role.  An idle reader
 * (until == NULL) runs each request itself and stops when it no longer holds
 * the role; a thread waiting for an answer stops once `until` is answered,
 * and hands the requests it reads meanwhile to the pool.
 */
void
sp_serve(struct sp_conn *c, struct sp_wait *until)
{
	uint8_t small[256];
	struct sp_hdr h;
	const char *bad;
	uint8_t *body;
	uint32_t code;
	size_t len;

	while (until == NULL || until->state == SP_WAIT_PENDING) {
		switch (sp_read(c, &h, sizeof(h))) {
		case 0:
			break;
		case SP_READ_EOF:
			/* A client that goes between frames just leaves. */
			sp_lost(c, NULL);
			return;
		default:
			sp_lost(c, "connection lost in a frame header");
			return;
		}
		if (h.len < sizeof(h) || h.class > SP_ERROR) {
			sp_lost(c, h.len < sizeof(h) ? "frame shorter than its header" :
			    "bad frame class");
			return;
		}
		if (h.class != SP_REQ) {
			if (sp_deliver(c, &h) != 0)
				return;
			continue;
		}
		if ((bad = check_request(c, &h, &code)) != NULL) {
			(void)reply_error(c, &h, code);
			sp_lost(c, bad);
			return;
		}
		len = h.len - sizeof(h);
		body = until == NULL && len <= sizeof(small) ? small : malloc(len + 1);
		if (body == NULL || sp_read(c, body, len) != 0) {
			if (body != small)
				free(body);
			sp_lost(c, body == NULL ? "out of memory" : "connection lost in a request");
			return;
		}
		if (until != NULL) {
			/* This thread is in a call of its own: the pool runs it. */
			struct sp_job *job = calloc(1, sizeof(*job));

			if (job == NULL) {
				free(body);
				sp_lost(c, "out of memory");
				return;
			}
			job->kind = JOB_REQUEST;
			job->conn = c;
			job->hdr = h;
			job->body = body;
			sp_conn_hold(c);
			pool_submit(job);
			continue;
		}
		if (h.type == SP_HANDSHAKE) {
			bad = do_handshake(c, &h, body);
			if (body != small)
				free(body);
			if (bad != NULL) {
				sp_lost(c, bad);
				return;
			}
			continue;
		}
		handle(c, &h, body);
		if (body != small)
			free(body);
		/* Slept in the kernel meanwhile: another thread reads now. */
		pthread_mutex_lock(&c->mtx);
		if (c->reader != sp_self()) {
			pthread_mutex_unlock(&c->mtx);
			return;
		}
		pthread_mutex_unlock(&c->mtx);
	}
}

/* The last reference went: the process ends with its first lwp. */
void
sp_conn_free(struct sp_conn *c)
{
	int i;

	prefork_orphan(c);
	for (i = 0; i < c->nspare; i++)
		rumpc_sp_lwp_free(c->spare[i]);
	if (c->mainlwp != NULL)
		rumpc_sp_lwp_free(c->mainlwp);
	close(c->fd);
	pthread_mutex_destroy(&c->mtx);
	pthread_mutex_destroy(&c->sendmtx);
	free(c);
}

/* ------------------------------------------------------------------ */
/* Listening                                                           */

static void *
accept_thread(void *arg)
{
	struct sp_conn *c;
	int fd, one = 1;

	(void)arg;
	for (;;) {
		fd = accept4(listener.fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
				usleep(10000);
			continue;
		}
		if (!listener.unix_socket)
			(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = sp_conn_new(fd);
		if (c == NULL || send(fd, SP_BANNER, sizeof(SP_BANNER) - 1, MSG_NOSIGNAL) !=
		    (ssize_t)sizeof(SP_BANNER) - 1) {
			free(c);
			close(fd);
			continue;
		}
		/* The first reader's job holds a reference of its own. */
		sp_conn_hold(c);
		sp_pool_serve(c);
	}
	return NULL;
}

/* Parse unix://path or tcp://addr:port into `ss`; 0 or a host errno. */
static int
parse_url(const char *url, struct sockaddr_storage *ss, socklen_t *sslen)
{
	memset(ss, 0, sizeof(*ss));
	if (strncmp(url, "unix://", 7) == 0) {
		struct sockaddr_un *sun = (struct sockaddr_un *)ss;
		const char *path = url + 7;
		char cwd[PATH_MAX];
		int n;

		if (*path == '\0')
			return EINVAL;
		if (*path == '/')
			n = snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", path);
		else if (getcwd(cwd, sizeof(cwd)) != NULL)
			n = snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", cwd, path);
		else
			return errno;
		if (n < 0 || (size_t)n >= sizeof(sun->sun_path))
			return ENAMETOOLONG;
		sun->sun_family = AF_UNIX;
		*sslen = sizeof(*sun);
		return 0;
	}
	if (strncmp(url, "tcp://", 6) == 0) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		const char *host = url + 6, *colon = strrchr(host, ':');
		char addr[64], *end;
		unsigned long port;

		if (colon == NULL || (size_t)(colon - host) >= sizeof(addr))
			return EINVAL;
		memcpy(addr, host, (size_t)(colon - host));
		addr[colon - host] = '\0';
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (colon[1] == '\0' || (*end != '\0' && *end != '/') || errno || port > 65535)
			return EINVAL;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (strcmp(addr, "*") == 0 || strcmp(addr, "0") == 0)
			sin->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			return EINVAL;
		*sslen = sizeof(*sin);
		return 0;
	}
	return EINVAL;
}

int
rumpc_sp_init(const char *url)
{
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	int fd, error, one = 1;

	if (url == NULL)
		return EINVAL;
	if ((error = parse_url(url, &ss, &sslen)) != 0)
		return error;
	sp_spin_setup();
	pthread_mutex_lock(&listener.mtx);
	if (listener.running) {
		pthread_mutex_unlock(&listener.mtx);
		return EBUSY;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (ss.ss_family == AF_INET)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sslen) != 0 || listen(fd, SOMAXCONN) != 0)
		goto fail;
	listener.fd = fd;
	listener.unix_socket = ss.ss_family == AF_UNIX;
	if (listener.unix_socket)
		strcpy(listener.path, ((struct sockaddr_un *)&ss)->sun_path);
	if ((error = sp_thread_create(&listener.thread, NULL, accept_thread)) != 0) {
		if (listener.unix_socket)
			unlink(listener.path);
		errno = error;
		goto fail;
	}
	listener.running = 1;
	pthread_mutex_unlock(&listener.mtx);
	return 0;
fail:
	error = errno;
	if (fd >= 0)
		close(fd);
	listener.fd = -1;
	pthread_mutex_unlock(&listener.mtx);
	return error;
}

void
rumpc_sp_fini(void)
{
	struct rumpc_sp_call *call = rumpc_thread()->sp_call;

	pthread_mutex_lock(&listener.mtx);
	if (listener.running && listener.unix_socket)
		unlink(listener.path);
	pthread_mutex_unlock(&listener.mtx);
	/* A client's reboot halts the kernel: it still gets its answer, once
	 * the socket file is gone. */
	if (call != NULL && !call->answered) {
		struct sp_sysresp resp = { 0 };

		call->answered = 1;
		(void)sp_reply(call->conn, call->reqno, SP_RESP, SP_SYSCALL, 0,
		    &resp, sizeof(resp));
	}
}
