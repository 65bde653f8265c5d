/* libs: -lrumpnet_local -lrumpnet_net -lrumpnet -lrumpvfs -lrump -lrumpuser */
/*
 * 71_interrupt_close -- interruptible sleeps beyond pipes and nanosleep,
 * and closing a descriptor another thread sleeps on.
 *
 * Under RUMP_SIGMODEL_RECORD a kill from another thread ends, with EINTR
 * (4), a thread (in its own rump process) blocked in a local socket
 * recv, accept, poll, kevent or a FIFO open; the interrupted FIFO open
 * leaves no reader behind.
 *
 * As NetBSD's fd_close restarts the sleepers: a thread blocked reading a
 * pipe or a socket through descriptor d fails with EBADF (9) when another
 * thread closes d, while a thread blocked on a dup of d sleeps on and gets
 * the next byte; a thread blocked in kevent on a kqueue descriptor that is
 * closed fails with EBADF; poll on a descriptor closed meanwhile returns
 * with POLLNVAL (0x20) for it.
 */
#include "../harness.h"

#define NB_SIGUSR1	30
#define NB_AF_LOCAL	1
#define NB_STREAM	1
#define NB_POLLIN	0x0001
#define NB_POLLNVAL	0x0020

struct nb_sockaddr_un {
	uint8_t sun_len;
	uint8_t sun_family;
	char sun_path[104];
};

struct nb_pollfd {
	int fd;
	short events;
	short revents;
};

/* NetBSD 7 amd64 struct kevent (40 bytes) */
struct nb_kevent {
	uintptr_t ident;
	uint32_t filter;
	uint32_t flags;
	uint32_t fflags;
	uint32_t pad;
	int64_t data;
	intptr_t udata;
};

enum op { OP_RECV, OP_ACCEPT, OP_POLL, OP_KEVENT, OP_FIFO, OP_READ, OP_ACCEPT_FD };

struct blocked {
	enum op op;
	int own_process;	/* rfork a process of its own, else join `pid` */
	volatile int pid;
	volatile int ready;
	volatile int done;
	int fd;			/* OP_READ, OP_POLL (if !own_process), OP_KEVENT */
	long long rv;
	int err;
	short revents;
};

/* set by the blocked thread, read while it may still run */
#define DONE(b) __atomic_load_n(&(b).done, __ATOMIC_ACQUIRE)

static void *
blocked_thread(void *arg)
{
	struct blocked *b = arg;
	struct nb_sockaddr_un sun;
	struct nb_pollfd pfd;
	struct nb_kevent ev;
	int sv[2], fds[2], s, kq;
	char c;

	if (b->own_process) {
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
			goto fail;
		b->pid = rump_sys_getpid();
	} else if (rump_pub_lwproc_newlwp(b->pid) != 0) {
		goto fail;
	}
	errno = 0;
	switch (b->op) {
	case OP_RECV:
		if (rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv) != 0)
			goto fail;
		__atomic_store_n(&b->ready, 1, __ATOMIC_RELEASE);
		b->rv = rump_sys_recvfrom(sv[0], &c, 1, 0, NULL, NULL);
		break;
	case OP_ACCEPT:
		s = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
		memset(&sun, 0, sizeof(sun));
		sun.sun_len = sizeof(sun);
		sun.sun_family = NB_AF_LOCAL;
		strcpy(sun.sun_path, "/intr_sock");
		if (s < 0 || rump_sys_bind(s, (void *)&sun, sizeof(sun)) != 0 ||
		    rump_sys_listen(s, 5) != 0)
			goto fail;
		__atomic_store_n(&b->ready, 1, __ATOMIC_RELEASE);
		b->rv = rump_sys_accept(s, NULL, NULL);
		break;
	case OP_POLL:
		if (b->own_process) {
			if (rump_sys_pipe(fds) != 0)
				goto fail;
			b->fd = fds[0];
		}
		pfd.fd = b->fd;
		pfd.events = NB_POLLIN;
		pfd.revents = 0;
		__atomic_store_n(&b->ready, 1, __ATOMIC_RELEASE);
		b->rv = rump_sys_poll((void *)&pfd, 1, -1);
		b->revents = pfd.revents;
		break;
	case OP_KEVENT:
		if (b->own_process) {
			if ((kq = rump_sys_kqueue()) < 0)
				goto fail;
			b->fd = kq;
		}
		__atomic_store_n(&b->ready, 1, __ATOMIC_RELEASE);
		b->rv = rump_sys_kevent(b->fd, NULL, 0, (void *)&ev, 1, NULL);
		break;
	case OP_FIFO:
		__atomic_store_n(&b->ready, 1, __ATOMIC_RELEASE);
		b->rv = rump_sys_open("/intr_fifo", RUMP_O_RDONLY);
		break;
	case OP_READ:
		__atomic_store_n(&b->ready, 1, __ATOMIC_RELEASE);
		b->rv = rump_sys_read(b->fd, &c, 1);
		break;
	case OP_ACCEPT_FD:
		__atomic_store_n(&b->ready, 1, __ATOMIC_RELEASE);
		b->rv = rump_sys_accept(b->fd, NULL, NULL);
		break;
	}
	b->err = errno;
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	rump_pub_lwproc_releaselwp();
	return NULL;
fail:
	b->rv = -2;
	b->err = errno;
	__atomic_store_n(&b->ready, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int
start(struct blocked *b, pthread_t *t)
{
	if (pthread_create(t, NULL, blocked_thread, b) != 0)
		return -1;
	while (!__atomic_load_n(&b->ready, __ATOMIC_ACQUIRE))
		usleep(1000);
	/* let it fall asleep */
	usleep(150 * 1000);
	return 0;
}

static void
test_eintr(enum op op, const char *name)
{
	struct blocked b;
	pthread_t t;
	char what[160];

	memset(&b, 0, sizeof(b));
	b.op = op;
	b.own_process = 1;
	snprintf(what, sizeof(what), "%s: blocked thread starts", name);
	REQUIRE(what, start(&b, &t) == 0 && b.rv != -2);
	snprintf(what, sizeof(what), "%s: still blocked before the kill", name);
	CHECK_EQ(what, DONE(b), 0);
	snprintf(what, sizeof(what), "%s: kill(sleeper, SIGUSR1) returns 0", name);
	CHECK_EQ(what, rump_sys_kill(b.pid, NB_SIGUSR1), 0);
	pthread_join(t, NULL);
	snprintf(what, sizeof(what), "%s woken by kill returns -1", name);
	CHECK_EQ(what, b.rv, -1);
	snprintf(what, sizeof(what), "%s woken by kill: errno EINTR (4)", name);
	CHECK_EQ(what, b.err, RUMP_EINTR);
}

/* A thread of process `pid` blocked in `op` on `fd`. */
static int
start_in(struct blocked *b, pthread_t *t, enum op op, int pid, int fd)
{
	memset(b, 0, sizeof(*b));
	b->op = op;
	b->pid = pid;
	b->fd = fd;
	return start(b, t);
}

static void
test_close_pipe(int pid)
{
	struct blocked a, d;
	pthread_t ta, td;
	int fds[2], dupfd;
	char c = 'x';

	REQUIRE("pipe", rump_sys_pipe(fds) == 0);
	dupfd = rump_sys_dup(fds[0]);
	REQUIRE("dup of the read end", dupfd >= 0);
	REQUIRE("reader on the read end starts", start_in(&a, &ta, OP_READ, pid, fds[0]) == 0);
	REQUIRE("reader on the dup starts", start_in(&d, &td, OP_READ, pid, dupfd) == 0);
	CHECK_EQ("pipe: both readers blocked", DONE(a) + DONE(d), 0);
	CHECK_EQ("close(read end) returns 0", rump_sys_close(fds[0]), 0);
	pthread_join(ta, NULL);
	CHECK_EQ("pipe: the read through the closed descriptor returns -1", a.rv, -1);
	CHECK_EQ("... with errno EBADF (9)", a.err, RUMP_EBADF);
	usleep(100 * 1000);
	CHECK_EQ("pipe: the read through the dup still sleeps", DONE(d), 0);
	CHECK_EQ("write one byte", rump_sys_write(fds[1], &c, 1), 1);
	pthread_join(td, NULL);
	CHECK_EQ("pipe: the read through the dup gets the byte", d.rv, 1);
	CHECK_EQ("pipe: a read after the close fails EBADF",
	    rump_sys_read(fds[0], &c, 1) == -1 && errno == RUMP_EBADF, 1);
	rump_sys_close(dupfd);
	rump_sys_close(fds[1]);
}

static void
test_close_socket(int pid)
{
	struct blocked a, d;
	pthread_t ta, td;
	int sv[2], dupfd;
	char c = 'y';

	REQUIRE("socketpair", rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv) == 0);
	dupfd = rump_sys_dup(sv[0]);
	REQUIRE("dup of the socket", dupfd >= 0);
	REQUIRE("reader on the socket starts", start_in(&a, &ta, OP_READ, pid, sv[0]) == 0);
	REQUIRE("reader on the dup starts", start_in(&d, &td, OP_READ, pid, dupfd) == 0);
	CHECK_EQ("socket: both readers blocked", DONE(a) + DONE(d), 0);
	CHECK_EQ("close(socket) returns 0", rump_sys_close(sv[0]), 0);
	pthread_join(ta, NULL);
	CHECK_EQ("socket: the read through the closed descriptor returns -1", a.rv, -1);
	CHECK_EQ("... with errno EBADF (9)", a.err, RUMP_EBADF);
	usleep(100 * 1000);
	CHECK_EQ("socket: the read through the dup still sleeps", DONE(d), 0);
	CHECK_EQ("send one byte from the peer", rump_sys_write(sv[1], &c, 1), 1);
	pthread_join(td, NULL);
	CHECK_EQ("socket: the read through the dup gets the byte", d.rv, 1);
	rump_sys_close(dupfd);
	rump_sys_close(sv[1]);
}

static void
test_close_poll(int pid)
{
	struct blocked p;
	pthread_t t;
	int fds[2];

	REQUIRE("pipe for poll", rump_sys_pipe(fds) == 0);
	REQUIRE("poller starts", start_in(&p, &t, OP_POLL, pid, fds[0]) == 0);
	CHECK_EQ("poll: blocked", DONE(p), 0);
	CHECK_EQ("close(polled descriptor) returns 0", rump_sys_close(fds[0]), 0);
	pthread_join(t, NULL);
	CHECK_EQ("poll on a descriptor closed meanwhile returns 1", p.rv, 1);
	CHECK_EQ("... with revents POLLNVAL (0x20)", p.revents, NB_POLLNVAL);
	rump_sys_close(fds[1]);
}

static void
test_close_kqueue(int pid)
{
	struct blocked k;
	pthread_t t;
	int kq;

	kq = rump_sys_kqueue();
	REQUIRE("kqueue", kq >= 0);
	REQUIRE("kevent sleeper starts", start_in(&k, &t, OP_KEVENT, pid, kq) == 0);
	CHECK_EQ("kevent: blocked", DONE(k), 0);
	CHECK_EQ("close(kqueue) returns 0", rump_sys_close(kq), 0);
	pthread_join(t, NULL);
	CHECK_EQ("kevent on a kqueue closed meanwhile returns -1", k.rv, -1);
	CHECK_EQ("... with errno EBADF (9)", k.err, RUMP_EBADF);
}

static void
test_close_accept(int pid)
{
	struct nb_sockaddr_un sun;
	struct blocked a;
	pthread_t t;
	int s;

	s = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_len = sizeof(sun);
	sun.sun_family = NB_AF_LOCAL;
	strcpy(sun.sun_path, "/intr_sock2");
	REQUIRE("listening socket", s >= 0 && rump_sys_bind(s, (void *)&sun, sizeof(sun)) == 0 &&
	    rump_sys_listen(s, 5) == 0);
	REQUIRE("acceptor starts", start_in(&a, &t, OP_ACCEPT_FD, pid, s) == 0);
	CHECK_EQ("accept: blocked", DONE(a), 0);
	CHECK_EQ("close(listening socket) returns 0", rump_sys_close(s), 0);
	pthread_join(t, NULL);
	CHECK_EQ("accept on a socket closed meanwhile returns -1", a.rv, -1);
	CHECK_EQ("... with errno EBADF (9)", a.err, RUMP_EBADF);
}

int
main(void)
{
	int pid, fd, err;

	h_begin("71_interrupt_close");
	rump_boot_setsigmodel(RUMP_SIGMODEL_RECORD);
	H_BOOT();

	/* EINTR */
	test_eintr(OP_RECV, "recv on an empty socket");
	test_eintr(OP_ACCEPT, "accept with no connection");
	test_eintr(OP_POLL, "poll on an empty pipe");
	test_eintr(OP_KEVENT, "kevent with nothing registered");
	CHECK_EQ("mkfifo /intr_fifo", rump_sys_mkfifo("/intr_fifo", 0666), 0);
	test_eintr(OP_FIFO, "open(FIFO, O_RDONLY) with no writer");
	fd = rump_sys_open("/intr_fifo", RUMP_O_WRONLY | RUMP_O_NONBLOCK);
	err = errno;
	CHECK_EQ("the interrupted FIFO open left no reader: O_WRONLY|O_NONBLOCK fails",
	    fd, -1);
	CHECK_EQ("... with ENXIO (6)", err, RUMP_ENXIO);

	/* EBADF: close from another thread of the same process */
	REQUIRE("rfork a process", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	pid = rump_sys_getpid();
	test_close_pipe(pid);
	test_close_socket(pid);
	test_close_poll(pid);
	test_close_kqueue(pid);
	test_close_accept(pid);

	return h_end();
}
