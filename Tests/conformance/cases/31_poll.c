/* libs: -lrump -lrumpuser */
/*
 * 31_poll: poll, pollts, select and pselect over pipes (NetBSD's
 * sys_select.c and pipe_poll).
 *
 * struct pollfd is { int fd; short events; short revents; } (8 bytes);
 * POLLIN 1, POLLPRI 2, POLLOUT 4, POLLERR 8, POLLHUP 0x10, POLLNVAL 0x20,
 * POLLRDNORM 0x40, POLLWRNORM = POLLOUT, POLLRDBAND 0x80.  Every revents is
 * cleared; fd -1 is skipped, a closed fd reports POLLNVAL and counts.  The
 * read end of a pipe is readable with data, the write end writable with
 * PIPE_BUF (512) bytes free; a widowed end reports POLLHUP plus what it was
 * asked of POLLIN/POLLRDNORM/POLLOUT/POLLWRNORM.  More than 1000 entries
 * beyond the descriptor table's size (20 at first) is EINVAL; a negative
 * timeout other than INFTIM (-1) is EINVAL.
 *
 * select takes fd_sets of 32-bit words (the same bytes as Linux's on
 * amd64) and a 16-byte struct timeval; a closed descriptor in a set is
 * EBADF, a negative nd EINVAL, tv_usec outside 0..999999 EINVAL; the result
 * counts bits across the three sets.  Sleeps give the virtual CPU back: a
 * poller and a writer work under RUMP_NCPU=1.
 */
#include "../harness.h"

#define NB_POLLIN	RUMP_POLLIN
#define NB_POLLOUT	RUMP_POLLOUT
#define NB_POLLERR	RUMP_POLLERR
#define NB_POLLHUP	RUMP_POLLHUP
#define NB_POLLNVAL	RUMP_POLLNVAL
#define NB_POLLRDNORM	RUMP_POLLRDNORM
#define NB_POLLWRNORM	RUMP_POLLWRNORM
#define NB_POLLRDBAND	RUMP_POLLRDBAND
#define NB_F_SETFL	4

/* NetBSD's fd_set: FD_SETSIZE 256 bits in 32-bit words */
struct nb_fd_set {
	uint32_t bits[256 / 32];
};

static void
nb_fd_zero(struct nb_fd_set *s)
{
	memset(s, 0, sizeof(*s));
}

static void
nb_fd_set(int fd, struct nb_fd_set *s)
{
	s->bits[fd / 32] |= 1u << (fd % 32);
}

static int
nb_fd_isset(int fd, const struct nb_fd_set *s)
{
	return (s->bits[fd / 32] >> (fd % 32)) & 1;
}

static int
sel(int nd, struct nb_fd_set *in, struct nb_fd_set *ou, struct nb_fd_set *ex,
    struct rump_timeval *tv)
{
	return rump_sys_select(nd, (void *)in, (void *)ou, (void *)ex, (void *)tv);
}

static int
poll1(int fd, int events, int timeout, int *revents)
{
	struct rump_pollfd pfd = { fd, (int16_t)events, 0x7777 };
	int rv = rump_sys_poll((void *)&pfd, 1, timeout);

	*revents = pfd.revents;
	return rv;
}

/* poll one fd at once; revents, or -1000-errno */
static long long
revents_of(int fd, int events)
{
	int rev, rv = poll1(fd, events, 0, &rev);

	if (rv < 0)
		return -1000 - errno;
	return rev;
}

enum { LATER_WRITE, LATER_CLOSE, LATER_READ };

struct later {
	int fd;
	int delay_ms;
	int action;
};

/* after a delay, write a byte to, close, or read 1000 bytes from fd */
static void *
act_later(void *v)
{
	struct later *w = v;
	char buf[1000];

	usleep(w->delay_ms * 1000);
	if (w->action == LATER_CLOSE)
		rump_sys_close(w->fd);
	else if (w->action == LATER_READ)
		rump_sys_read(w->fd, buf, sizeof(buf));
	else
		rump_sys_write(w->fd, "!", 1);
	return NULL;
}

struct poller {
	int fd;
	int rv;
	int revents;
};

static void *
poll_forever(void *v)
{
	struct poller *pl = v;

	pl->rv = poll1(pl->fd, NB_POLLIN, 10000, &pl->revents);
	return NULL;
}

/* RUMP_NCPU=1: a thread polls for ever, another writes after 50 ms */
static int
sub_main(const char *mode)
{
	struct later w;
	pthread_t t;
	double t0;
	int p[2], rev = 0, rv;

	if (rump_init() != 0)
		return 3;
	if (strcmp(mode, "ncpu1") != 0)
		return 2;
	if (rump_sys_pipe(p) != 0)
		return 4;
	w.fd = p[1];
	w.delay_ms = 50;
	w.action = LATER_WRITE;
	pthread_create(&t, NULL, act_later, &w);
	t0 = h_mono();
	rv = poll1(p[0], NB_POLLIN, -1, &rev);
	h_report("poll", rv, rev);
	h_report("ms", (long long)((h_mono() - t0) * 1000), 0);
	pthread_join(t, NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	struct rump_pollfd pfd[4], many[1100];
	struct nb_fd_set in, ou, ex;
	struct rump_timeval tv;
	struct rump_timespec ts;
	uint64_t mask[2] = { 0, 0 };
	char buf[20000];
	int p[2], q[2], rev, i, fd, total, n;
	struct later w;
	struct h_sub r;
	pthread_t t;
	double t0, dt;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("31_poll");
	H_BOOT();

	REQUIRE("a pipe", rump_sys_pipe(p) == 0);
	REQUIRE("another pipe", rump_sys_pipe(q) == 0);

	/* ---- poll: readiness ---- */
	CHECK_EQ("empty pipe: the read end asked for POLLIN has nothing",
	    revents_of(p[0], NB_POLLIN), 0);
	CHECK_EQ("... nor for POLLOUT (its side has no buffer)",
	    revents_of(p[0], NB_POLLOUT | NB_POLLWRNORM), 0);
	CHECK_EQ("the write end asked for POLLOUT|POLLWRNORM: POLLOUT (= POLLWRNORM)",
	    revents_of(p[1], NB_POLLOUT | NB_POLLWRNORM), NB_POLLOUT);
	CHECK_EQ("the write end asked for POLLIN: nothing", revents_of(p[1], NB_POLLIN), 0);
	CHECK_EQ("write a byte", rump_sys_write(p[1], "a", 1), 1);
	CHECK_EQ("now the read end asked for POLLIN|POLLRDNORM has both",
	    revents_of(p[0], NB_POLLIN | NB_POLLRDNORM), NB_POLLIN | NB_POLLRDNORM);
	CHECK_EQ("asked for POLLRDNORM alone: POLLRDNORM", revents_of(p[0], NB_POLLRDNORM),
	    NB_POLLRDNORM);
	CHECK_EQ("asked for POLLPRI|POLLRDBAND: nothing (no out-of-band data)",
	    revents_of(p[0], RUMP_POLLPRI | NB_POLLRDBAND), 0);
	CHECK_EQ("asked for nothing: nothing", revents_of(p[0], 0), 0);
	CHECK_EQ("the console (fd 1) is writable, never readable (rumpcons_poll)",
	    revents_of(1, NB_POLLIN | NB_POLLRDNORM | NB_POLLOUT), NB_POLLOUT);

	memset(pfd, 0, sizeof(pfd));
	pfd[0].fd = p[0];
	pfd[0].events = NB_POLLIN;
	pfd[1].fd = -1;
	pfd[1].events = NB_POLLIN;
	pfd[1].revents = 0x7777;
	pfd[2].fd = 77;
	pfd[2].events = NB_POLLIN;
	pfd[3].fd = q[0];
	pfd[3].events = NB_POLLIN;
	pfd[3].revents = 0x7777;
	CHECK_EQ("poll over four entries counts the ready one and the closed fd",
	    rump_sys_poll((void *)pfd, 4, 0), 2);
	CHECK_EQ("... the pipe: POLLIN", pfd[0].revents, NB_POLLIN);
	CHECK_EQ("... fd -1: revents cleared to 0", pfd[1].revents, 0);
	CHECK_EQ("... fd 77 (closed): POLLNVAL", pfd[2].revents, NB_POLLNVAL);
	CHECK_EQ("... the empty pipe: revents cleared to 0", pfd[3].revents, 0);
	CHECK_EQ("... the fd fields are left alone", pfd[2].fd + pfd[1].fd, 76);
	CHECK_EQ("poll(NULL, 0, 0) returns 0", rump_sys_poll(NULL, 0, 0), 0);
	CHECK_ERR("poll with a bad array fails with EFAULT",
	    rump_sys_poll((void *)8, 1, 0), RUMP_EFAULT);
	CHECK_ERR("a negative timeout other than INFTIM fails with EINVAL",
	    rump_sys_poll((void *)pfd, 1, -2), RUMP_EINVAL);
	for (i = 0; i < 1100; i++) {
		many[i].fd = -1;
		many[i].events = NB_POLLIN;
	}
	CHECK_EQ("1020 entries (1000 past the table's 20) are accepted",
	    rump_sys_poll((void *)many, 1020, 0), 0);
	CHECK_ERR("1021 entries fail with EINVAL", rump_sys_poll((void *)many, 1021, 0),
	    RUMP_EINVAL);
	many[1019].fd = p[0];
	CHECK_EQ("... and the 1020th entry is polled", rump_sys_poll((void *)many, 1020, 0), 1);
	CHECK_EQ("... POLLIN", many[1019].revents, NB_POLLIN);
	fd = rump_sys_dup(p[0]);
	pfd[0].fd = p[0];
	pfd[0].events = NB_POLLIN;
	pfd[1].fd = fd;
	pfd[1].events = NB_POLLIN;
	CHECK_EQ("two descriptors of one pipe end both report", rump_sys_poll((void *)pfd, 2, 0), 2);
	rump_sys_close(fd);
	CHECK_EQ("read the byte", rump_sys_read(p[0], buf, 1), 1);

	/* ---- poll: sleeping ---- */
	t0 = h_mono();
	CHECK_EQ("poll for 100 ms on an empty pipe returns 0", poll1(p[0], NB_POLLIN, 100, &rev), 0);
	dt = h_mono() - t0;
	CHECK_TRUE("... after at least 100 ms", dt >= 0.099);
	CHECK_TRUE("... and not much more (< 2 s)", dt < 2.0);
	CHECK_EQ("... revents 0", rev, 0);
	w.fd = p[1];
	w.delay_ms = 80;
	w.action = LATER_WRITE;
	pthread_create(&t, NULL, act_later, &w);
	t0 = h_mono();
	CHECK_EQ("poll with INFTIM wakes when another thread writes",
	    poll1(p[0], NB_POLLIN | NB_POLLRDNORM, RUMP_INFTIM, &rev), 1);
	dt = h_mono() - t0;
	pthread_join(t, NULL);
	CHECK_EQ("... POLLIN|POLLRDNORM", rev, NB_POLLIN | NB_POLLRDNORM);
	CHECK_TRUE("... after the write (>= 70 ms)", dt >= 0.07);
	CHECK_EQ("read it", rump_sys_read(p[0], buf, 10), 1);

	pfd[0].fd = p[0];
	pfd[0].events = NB_POLLIN;
	pfd[1].fd = q[0];
	pfd[1].events = NB_POLLIN;
	w.fd = q[1];
	pthread_create(&t, NULL, act_later, &w);
	CHECK_EQ("polling two pipes wakes for the one written", rump_sys_poll((void *)pfd, 2, 5000), 1);
	pthread_join(t, NULL);
	CHECK_TRUE("... it is the second", pfd[0].revents == 0 && pfd[1].revents == NB_POLLIN);
	rump_sys_read(q[0], buf, 10);

	{
		struct poller pl[4];
		pthread_t pt[4];
		int ok = 0;

		for (i = 0; i < 4; i++) {
			pl[i].fd = p[0];
			pl[i].rv = -5;
			pthread_create(&pt[i], NULL, poll_forever, &pl[i]);
		}
		usleep(50000);
		CHECK_EQ("four threads poll one pipe; one write", rump_sys_write(p[1], "4", 1), 1);
		for (i = 0; i < 4; i++) {
			pthread_join(pt[i], NULL);
			ok += pl[i].rv == 1 && pl[i].revents == NB_POLLIN;
		}
		CHECK_EQ("... wakes all four, each with POLLIN", ok, 4);
		rump_sys_read(p[0], buf, 10);
	}

	/* ---- full pipe ---- */
	CHECK_EQ("non-blocking write end", rump_sys_fcntl(p[1], NB_F_SETFL,
	    (void *)(intptr_t)RUMP_O_NONBLOCK), 0);
	memset(buf, 'x', sizeof(buf));
	for (total = 0; (n = rump_sys_write(p[1], buf, 1000)) > 0; total += n)
		;
	CHECK_EQ("fill the pipe (16384 bytes)", total, 16384);
	CHECK_EQ("a full pipe's write end is not writable", revents_of(p[1], NB_POLLOUT), 0);
	CHECK_EQ("read 511 bytes", rump_sys_read(p[0], buf, 511), 511);
	CHECK_EQ("511 free bytes are not enough (PIPE_BUF)", revents_of(p[1], NB_POLLOUT), 0);
	CHECK_EQ("read 1 more", rump_sys_read(p[0], buf, 1), 1);
	CHECK_EQ("512 free bytes: POLLOUT", revents_of(p[1], NB_POLLOUT), NB_POLLOUT);
	CHECK_EQ("fill it again", rump_sys_write(p[1], buf, 512), 512);
	w.fd = p[0];
	w.delay_ms = 80;
	w.action = LATER_READ;
	pthread_create(&t, NULL, act_later, &w);
	t0 = h_mono();
	CHECK_EQ("a poll for POLLOUT on the full pipe wakes when another thread reads",
	    poll1(p[1], NB_POLLOUT, 5000, &rev), 1);
	dt = h_mono() - t0;
	pthread_join(t, NULL);
	CHECK_EQ("... POLLOUT", rev, NB_POLLOUT);
	CHECK_TRUE("... after the read (>= 70 ms)", dt >= 0.07);
	CHECK_EQ("non-blocking read end", rump_sys_fcntl(p[0], NB_F_SETFL,
	    (void *)(intptr_t)RUMP_O_NONBLOCK), 0);
	for (total = 0; (n = rump_sys_read(p[0], buf, sizeof(buf))) > 0; total += n)
		;
	CHECK_EQ("drain it (the 15384 bytes left)", total, 16384 - 1000);

	/* ---- widowed ends ---- */
	w.fd = q[1];
	w.delay_ms = 80;
	w.action = LATER_CLOSE;
	pthread_create(&t, NULL, act_later, &w);
	CHECK_EQ("poll wakes when another thread closes the write end",
	    poll1(q[0], NB_POLLIN, 5000, &rev), 1);
	pthread_join(t, NULL);
	CHECK_EQ("... with POLLIN|POLLHUP", rev, NB_POLLIN | NB_POLLHUP);
	CHECK_EQ("a widowed read end asked for POLLIN|POLLOUT: POLLIN|POLLOUT|POLLHUP (NetBSD)",
	    revents_of(q[0], NB_POLLIN | NB_POLLOUT), NB_POLLIN | NB_POLLOUT | NB_POLLHUP);
	CHECK_EQ("... asked for nothing: POLLHUP all the same", revents_of(q[0], 0), NB_POLLHUP);
	rump_sys_close(q[0]);
	REQUIRE("a third pipe", rump_sys_pipe(q) == 0);
	rump_sys_close(q[0]);
	CHECK_EQ("a widowed write end asked for POLLOUT: POLLOUT|POLLHUP",
	    revents_of(q[1], NB_POLLOUT), NB_POLLOUT | NB_POLLHUP);
	CHECK_EQ("... asked for POLLIN: POLLIN|POLLHUP", revents_of(q[1], NB_POLLIN),
	    NB_POLLIN | NB_POLLHUP);

	/* ---- select ---- */
	nb_fd_zero(&in);
	nb_fd_zero(&ou);
	nb_fd_zero(&ex);
	nb_fd_set(p[0], &in);
	nb_fd_set(p[1], &ou);
	nb_fd_set(p[0], &ex);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	CHECK_EQ("select: only the write end of an empty pipe is ready",
	    sel(p[1] + 1, &in, &ou, &ex, &tv), 1);
	CHECK_TRUE("... the read bit is cleared", !nb_fd_isset(p[0], &in));
	CHECK_TRUE("... the write bit stays", nb_fd_isset(p[1], &ou));
	CHECK_TRUE("... no exception", !nb_fd_isset(p[0], &ex));
	rump_sys_write(p[1], "z", 1);
	nb_fd_zero(&in);
	nb_fd_zero(&ou);
	nb_fd_set(p[0], &in);
	nb_fd_set(p[1], &ou);
	CHECK_EQ("select after a write: both", sel(p[1] + 1, &in, &ou, NULL, NULL), 2);
	CHECK_TRUE("... both bits set", nb_fd_isset(p[0], &in) && nb_fd_isset(p[1], &ou));
	nb_fd_zero(&in);
	nb_fd_set(p[0], &in);
	nb_fd_set(p[1], &in);
	CHECK_EQ("nd = p[1] leaves p[1] out", sel(p[1], &in, NULL, NULL, &tv), 1);
	CHECK_TRUE("... only p[0] reported", nb_fd_isset(p[0], &in) && !nb_fd_isset(p[1], &in));
	rump_sys_read(p[0], buf, 10);
	nb_fd_zero(&in);
	nb_fd_set(p[0], &in);
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	t0 = h_mono();
	CHECK_EQ("select with a 100 ms timeval on an empty pipe returns 0",
	    sel(p[0] + 1, &in, NULL, NULL, &tv), 0);
	dt = h_mono() - t0;
	CHECK_TRUE("... after at least 100 ms", dt >= 0.099 && dt < 2.0);
	CHECK_TRUE("... and clears the set", !nb_fd_isset(p[0], &in));
	w.fd = p[1];
	w.delay_ms = 80;
	w.action = LATER_WRITE;
	pthread_create(&t, NULL, act_later, &w);
	nb_fd_zero(&in);
	nb_fd_set(p[0], &in);
	CHECK_EQ("select without a timeout wakes when another thread writes",
	    sel(p[0] + 1, &in, NULL, NULL, NULL), 1);
	pthread_join(t, NULL);
	CHECK_TRUE("... the read bit", nb_fd_isset(p[0], &in));
	rump_sys_read(p[0], buf, 10);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	nb_fd_zero(&in);
	nb_fd_set(15, &in);
	CHECK_ERR("a closed descriptor in a set fails with EBADF",
	    sel(16, &in, NULL, NULL, &tv), RUMP_EBADF);
	CHECK_TRUE("... and leaves the set alone", nb_fd_isset(15, &in));
	nb_fd_zero(&in);
	nb_fd_set(60, &in);
	CHECK_EQ("a descriptor past the table's size (20) is ignored, not EBADF (NetBSD)",
	    sel(61, &in, NULL, NULL, &tv), 0);
	nb_fd_zero(&in);
	CHECK_ERR("nd -1 fails with EINVAL", sel(-1, &in, NULL, NULL, &tv), RUMP_EINVAL);
	tv.tv_usec = 1000000;
	CHECK_ERR("tv_usec 1000000 fails with EINVAL", sel(1, &in, NULL, NULL, &tv), RUMP_EINVAL);
	tv.tv_sec = -1;
	tv.tv_usec = 0;
	CHECK_ERR("a negative tv_sec fails with EINVAL", sel(1, &in, NULL, NULL, &tv), RUMP_EINVAL);
	tv.tv_sec = 0;
	CHECK_EQ("select(0, NULL, NULL, NULL, {0,0}) returns 0", sel(0, NULL, NULL, NULL, &tv), 0);
	nb_fd_zero(&in);
	nb_fd_zero(&ou);
	nb_fd_set(q[1], &in);
	nb_fd_set(q[1], &ou);
	CHECK_EQ("a widowed write end is in both the read and the write set: 2",
	    sel(q[1] + 1, &in, &ou, NULL, &tv), 2);

	/* ---- pollts, pselect ---- */
	ts.tv_sec = 0;
	ts.tv_nsec = 50000000;
	pfd[0].fd = p[0];
	pfd[0].events = NB_POLLIN;
	t0 = h_mono();
	CHECK_EQ("pollts with a 50 ms timespec on an empty pipe returns 0",
	    rump_sys_pollts((void *)pfd, 1, (void *)&ts, NULL), 0);
	CHECK_TRUE("... after at least 50 ms", h_mono() - t0 >= 0.049);
	pfd[0].fd = p[1];
	pfd[0].events = NB_POLLOUT;
	CHECK_EQ("pollts with no timeout and a ready fd returns at once",
	    rump_sys_pollts((void *)pfd, 1, NULL, (void *)mask), 1);
	ts.tv_nsec = 1000000000;
	CHECK_ERR("pollts with tv_nsec 1000000000 fails with EINVAL",
	    rump_sys_pollts((void *)pfd, 1, (void *)&ts, NULL), RUMP_EINVAL);
	CHECK_ERR("pollts with a bad timespec pointer fails with EFAULT",
	    rump_sys_pollts((void *)pfd, 1, (void *)8, NULL), RUMP_EFAULT);
	CHECK_ERR("pollts with a bad mask pointer fails with EFAULT",
	    rump_sys_pollts((void *)pfd, 1, NULL, (void *)8), RUMP_EFAULT);
	ts.tv_nsec = 50000000;
	nb_fd_zero(&in);
	nb_fd_set(p[0], &in);
	t0 = h_mono();
	CHECK_EQ("pselect with a 50 ms timespec on an empty pipe returns 0",
	    rump_sys_pselect(p[0] + 1, (void *)&in, NULL, NULL, (void *)&ts, (void *)mask), 0);
	CHECK_TRUE("... after at least 50 ms", h_mono() - t0 >= 0.049);
	nb_fd_zero(&ou);
	nb_fd_set(p[1], &ou);
	CHECK_EQ("pselect with no timeout and a ready fd returns at once",
	    rump_sys_pselect(p[1] + 1, NULL, (void *)&ou, NULL, NULL, NULL), 1);

	/* ---- RUMP_NCPU=1 ---- */
	{
		const char *env[] = { "RUMP_NCPU=1", NULL };

		h_run_sub("ncpu1", env, 20, &r);
		CHECK_SUB_EXIT("RUMP_NCPU=1: poll sleeping for ever while another thread "
		    "writes: no deadlock", &r, 0);
		h_check_sub_val("... poll returns 1 with POLLIN", &r, "poll", 1, NB_POLLIN);
	}
	return h_end();
}
