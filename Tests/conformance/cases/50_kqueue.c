/* libs: -lrump -lrumpuser */
/*
 * 50_kqueue: kqueue, kqueue1 and kevent (__kevent50) with EVFILT_READ and
 * EVFILT_WRITE over pipes; registration errors, flags and timeouts
 * (NetBSD 7's kern_event.c and sys_pipe.c filters).
 *
 * struct kevent on NetBSD 7 amd64 is 40 bytes: uintptr_t ident (0);
 * uint32_t filter (8), flags (12), fflags (16); 4 bytes of padding;
 * int64_t data (24); intptr_t udata (32).  EVFILT_READ 0, EVFILT_WRITE 1,
 * EVFILT_PROC 4, EVFILT_TIMER 6; EV_ADD 1, EV_DELETE 2, EV_ENABLE 4,
 * EV_DISABLE 8, EV_ONESHOT 0x10, EV_CLEAR 0x20, EV_RECEIPT 0x40,
 * EV_DISPATCH 0x80, EV_ERROR 0x4000, EV_EOF 0x8000.  An event reports the
 * flags the knote was registered with (EV_ADD included), plus EV_EOF.
 *
 * The read filter of a pipe holds with data (data: the bytes buffered) or
 * once the writer is gone (EV_EOF); the write filter with PIPE_BUF (512)
 * bytes of room (data: the room, 16384 in an empty pipe), EV_EOF once the
 * reader is gone.  A failed change is reported as an EV_ERROR event with
 * the errno as data while there is room in the event list, else kevent
 * fails with it; a bad descriptor is EBADF, an unknown filter EINVAL,
 * EV_DELETE of nothing ENOENT.  Closing a descriptor drops its knotes.
 */
#include "../harness.h"

#include "../kqueue.h"

/* poll the kqueue once; the number of events, the first in *ev */
static int
peek(int kq, struct nb_kevent *ev)
{
	memset(ev, 0, sizeof(*ev));
	return kev(kq, NULL, 0, ev, 1, 0);
}

struct later {
	int fd;
	int delay_ms;
	int close_it;
};

static void *
act_later(void *v)
{
	struct later *w = v;

	usleep(w->delay_ms * 1000);
	if (w->close_it)
		rump_sys_close(w->fd);
	else
		rump_sys_write(w->fd, "xyz", 3);
	return NULL;
}

/* stress: writers into pipes, one kevent loop reading everything */
#define NSTRESS 4
#define STRESS_BYTES 200000

static void *
stress_writer(void *v)
{
	int fd = (int)(intptr_t)v, i, n, done = 0;
	unsigned char chunk[1000];

	while (done < STRESS_BYTES) {
		n = 1 + (done % 997);
		if (n > STRESS_BYTES - done)
			n = STRESS_BYTES - done;
		for (i = 0; i < n; i++)
			chunk[i] = (unsigned char)(fd * 7 + done + i);
		n = rump_sys_write(fd, chunk, n);
		if (n <= 0)
			break;
		done += n;
	}
	rump_sys_close(fd);
	return NULL;
}

/*
 * Bytes read in total (each checked against its writer's sequence), or
 * negative on failure; every pipe is read to EOF.
 */
static long long
stress_loop(void)
{
	struct nb_kevent ch[NSTRESS], ev[NSTRESS];
	pthread_t t[NSTRESS];
	int p[NSTRESS][2], kq, i, j, n, open_fds = NSTRESS;
	long long total = 0, pos[NSTRESS] = { 0 };
	unsigned char buf[4096];

	kq = rump_sys_kqueue();
	if (kq < 0)
		return -1;
	for (i = 0; i < NSTRESS; i++) {
		if (rump_sys_pipe(p[i]) != 0)
			return -2;
		ch[i] = kv(p[i][0], NB_EVFILT_READ, NB_EV_ADD, 0, 0, i);
	}
	if (kev(kq, ch, NSTRESS, NULL, 0, 0) != 0)
		return -3;
	for (i = 0; i < NSTRESS; i++)
		pthread_create(&t[i], NULL, stress_writer, (void *)(intptr_t)p[i][1]);
	while (open_fds > 0) {
		n = kev(kq, NULL, 0, ev, NSTRESS, 10000);
		if (n <= 0)
			return -4;
		for (i = 0; i < n; i++) {
			int fd = (int)ev[i].ident, k = (int)ev[i].udata, r;

			r = rump_sys_read(fd, buf, sizeof(buf));
			if (r > 0) {
				for (j = 0; j < r; j++)
					if (buf[j] != (unsigned char)(p[k][1] * 7 + pos[k] + j))
						return -6;
				pos[k] += r;
				total += r;
			} else if (r == 0 && (ev[i].flags & NB_EV_EOF)) {
				rump_sys_close(fd);	/* drops the knote */
				open_fds--;
			} else if (r < 0)
				return -5;
		}
	}
	for (i = 0; i < NSTRESS; i++)
		pthread_join(t[i], NULL);
	rump_sys_close(kq);
	return total;
}

/* RUMP_NCPU=1: kevent sleeps for ever while another thread writes */
static int
sub_main(const char *mode)
{
	struct nb_kevent ev;
	struct later w;
	pthread_t t;
	int p[2], kq, rv;

	if (rump_init() != 0)
		return 3;
	if (strcmp(mode, "stress") == 0) {
		h_report("stress", stress_loop(), 0);
		return 0;
	}
	if (strcmp(mode, "ncpu1") != 0)
		return 2;
	if (rump_sys_pipe(p) != 0 || (kq = rump_sys_kqueue()) < 0)
		return 4;
	if (change(kq, p[0], NB_EVFILT_READ, NB_EV_ADD, 0) != 0)
		return 5;
	w.fd = p[1];
	w.delay_ms = 50;
	w.close_it = 0;
	pthread_create(&t, NULL, act_later, &w);
	memset(&ev, 0, sizeof(ev));
	rv = kev(kq, NULL, 0, &ev, 1, -1);
	h_report("kevent", rv, ev.data);
	pthread_join(t, NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	struct nb_kevent ch[4], ev[4];
	struct rump_stat st;
	struct rump_pollfd pfd;
	struct rump_timespec ts;
	struct later w;
	struct h_sub r;
	pthread_t t;
	char buf[20000];
	int kq, p[2], q[2], fd, n, saved;
	double t0, dt;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("50_kqueue");
	H_BOOT();

	/* ---- the descriptor ---- */
	kq = rump_sys_kqueue();
	CHECK_GE("kqueue() gives a descriptor", kq, 0);
	REQUIRE("a pipe", rump_sys_pipe(p) == 0);
	CHECK_EQ("fstat on a kqueue works", rump_sys_fstat(kq, (void *)&st), 0);
	CHECK_EQ("... and says S_IFIFO with no permission bits", st.st_mode, RUMP_S_IFIFO);
	CHECK_EQ("... with sizeof(struct kevent) as block size", st.st_blksize, 40);
	CHECK_ERR("read on a kqueue: ENXIO", rump_sys_read(kq, buf, 1), RUMP_ENXIO);
	CHECK_ERR("write on a kqueue: ENXIO", rump_sys_write(kq, buf, 1), RUMP_ENXIO);
	CHECK_EQ("F_GETFL of a kqueue: O_RDWR", rump_sys_fcntl(kq, RUMP_F_GETFL, 0), RUMP_O_RDWR);
	CHECK_EQ("F_GETFD of a kqueue: no close-on-exec", rump_sys_fcntl(kq, RUMP_F_GETFD, 0), 0);
	fd = rump_sys_kqueue1(RUMP_O_CLOEXEC | RUMP_O_NONBLOCK);
	CHECK_GE("kqueue1(O_CLOEXEC|O_NONBLOCK)", fd, 0);
	CHECK_EQ("... close-on-exec set", rump_sys_fcntl(fd, RUMP_F_GETFD, 0), 1);
	CHECK_EQ("... O_NONBLOCK in F_GETFL", rump_sys_fcntl(fd, RUMP_F_GETFL, 0),
	    RUMP_O_RDWR | RUMP_O_NONBLOCK);
	CHECK_EQ("close it", rump_sys_close(fd), 0);
	fd = rump_sys_kqueue1(0);
	CHECK_GE("kqueue1(0)", fd, 0);
	CHECK_EQ("... no close-on-exec", rump_sys_fcntl(fd, RUMP_F_GETFD, 0), 0);
	rump_sys_close(fd);

	CHECK_ERR("kevent on a pipe: EBADF", kev(p[0], NULL, 0, ev, 1, 0), RUMP_EBADF);
	CHECK_ERR("kevent on a closed descriptor: EBADF", kev(77, NULL, 0, ev, 1, 0), RUMP_EBADF);
	CHECK_EQ("kevent on an empty kqueue with a zero timeout: 0", kev(kq, NULL, 0, ev, 4, 0), 0);

	/* ---- EVFILT_READ on a pipe ---- */
	CHECK_EQ("EV_ADD EVFILT_READ on the read end", change(kq, p[0], NB_EVFILT_READ,
	    NB_EV_ADD, 0x1234), 0);
	CHECK_EQ("an empty pipe: no event", peek(kq, ev), 0);
	{
		int rev;

		pfd.fd = kq;
		pfd.events = RUMP_POLLIN;
		pfd.revents = 0;
		rev = rump_sys_poll((void *)&pfd, 1, 0);
		CHECK_EQ("poll on the kqueue with nothing pending: 0", rev, 0);
	}
	CHECK_EQ("write 5 bytes", rump_sys_write(p[1], "hello", 5), 5);
	pfd.revents = 0;
	CHECK_EQ("poll on the kqueue with an event pending: 1", rump_sys_poll((void *)&pfd, 1, 0), 1);
	CHECK_EQ("... POLLIN", pfd.revents, RUMP_POLLIN);
	CHECK_EQ("fstat of the kqueue: st_size counts the pending event",
	    rump_sys_fstat(kq, (void *)&st) == 0 ? st.st_size : -1, 1);
	memset(ev, 0x33, sizeof(ev));
	CHECK_EQ("kevent now returns 1", kev(kq, NULL, 0, ev, 4, 0), 1);
	CHECK_EQ("... ident: the read end", ev[0].ident, p[0]);
	CHECK_EQ("... filter EVFILT_READ", ev[0].filter, NB_EVFILT_READ);
	CHECK_EQ("... flags: EV_ADD as registered", ev[0].flags, NB_EV_ADD);
	CHECK_EQ("... fflags 0", ev[0].fflags, 0);
	CHECK_EQ("... data: 5 bytes buffered", ev[0].data, 5);
	CHECK_EQ("... udata as registered", ev[0].udata, 0x1234);
	CHECK_EQ("level-triggered: it is there again", peek(kq, ev), 1);
	CHECK_EQ("write 7 more", rump_sys_write(p[1], "1234567", 7), 7);
	CHECK_EQ("... data now 12", peek(kq, ev) == 1 ? ev[0].data : -1, 12);
	CHECK_EQ("read them all", rump_sys_read(p[0], buf, sizeof(buf)), 12);
	CHECK_EQ("drained: no event", peek(kq, ev), 0);

	/* ---- EVFILT_WRITE ---- */
	CHECK_EQ("EV_ADD EVFILT_WRITE on the write end", change(kq, p[1], NB_EVFILT_WRITE,
	    NB_EV_ADD, 7), 0);
	CHECK_EQ("an empty pipe is writable: 1 event", peek(kq, ev), 1);
	CHECK_EQ("... EVFILT_WRITE", ev[0].filter, NB_EVFILT_WRITE);
	CHECK_EQ("... data: 16384 bytes of room", ev[0].data, 16384);
	CHECK_EQ("write 100 bytes", rump_sys_write(p[1], buf, 100) == 100 ? 0 : -1, 0);
	n = kev(kq, NULL, 0, ev, 4, 0);
	CHECK_EQ("now both filters hold: 2 events", n, 2);
	CHECK_EQ("... the read filter first (registered first), data 100",
	    ev[0].filter == NB_EVFILT_READ ? ev[0].data : -1, 100);
	CHECK_EQ("... the write filter with 16284 bytes of room",
	    ev[1].filter == NB_EVFILT_WRITE ? ev[1].data : -1, 16284);
	CHECK_EQ("an event list of 1 gets 1 of the 2", kev(kq, NULL, 0, ev, 1, 0), 1);
	CHECK_EQ("nevents 0 with no changes returns 0 at once, even with no timeout",
	    kev(kq, NULL, 0, NULL, 0, -1), 0);
	CHECK_EQ("EV_DELETE the write filter", change(kq, p[1], NB_EVFILT_WRITE, NB_EV_DELETE, 0), 0);
	CHECK_ERR("EV_DELETE it again: ENOENT", change(kq, p[1], NB_EVFILT_WRITE, NB_EV_DELETE, 0),
	    RUMP_ENOENT);
	CHECK_EQ("one event left (the read filter)", kev(kq, NULL, 0, ev, 4, 0), 1);
	rump_sys_read(p[0], buf, sizeof(buf));

	/* ---- errors ---- */
	CHECK_ERR("EV_ADD on a closed descriptor with no event list: EBADF",
	    change(kq, 77, NB_EVFILT_READ, NB_EV_ADD, 0), RUMP_EBADF);
	CHECK_ERR("an unknown filter (42): EINVAL", change(kq, p[0], 42, NB_EV_ADD, 0), RUMP_EINVAL);
	CHECK_ERR("EVFILT_AIO (2, not supported here): EINVAL",
	    change(kq, 1, 2, NB_EV_ADD, 0), RUMP_EINVAL);
	CHECK_ERR("EV_ENABLE of a knote that is not there: ENOENT",
	    change(kq, p[1], NB_EVFILT_READ, NB_EV_ENABLE, 0), RUMP_ENOENT);
	ch[0] = kv(77, NB_EVFILT_READ, NB_EV_ADD, 0, 0, 0x77);
	ch[1] = kv(p[1], NB_EVFILT_WRITE, NB_EV_DELETE, 0, 0, 0x78);
	ch[2] = kv(p[1], NB_EVFILT_WRITE, NB_EV_ADD, 0, 0, 0x79);
	memset(ev, 0, sizeof(ev));
	CHECK_EQ("three changes, two failing, room for 4: returns the 2 errors",
	    kev(kq, ch, 3, ev, 4, 0), 2);
	CHECK_EQ("... first: EV_ERROR", ev[0].flags, NB_EV_ERROR);
	CHECK_EQ("... with data EBADF", ev[0].data, RUMP_EBADF);
	CHECK_EQ("... ident and udata of the change", ev[0].ident == 77 && ev[0].udata == 0x77, 1);
	CHECK_EQ("... second: EV_ERROR with data ENOENT",
	    ev[1].flags == NB_EV_ERROR ? ev[1].data : -1, RUMP_ENOENT);
	CHECK_EQ("... for the EV_DELETE change", ev[1].udata, 0x78);
	CHECK_EQ("the good change in between was applied: the write filter holds",
	    kev(kq, NULL, 0, ev, 4, 0) == 1 ? ev[0].filter : 99, NB_EVFILT_WRITE);
	ch[0] = kv(78, NB_EVFILT_READ, NB_EV_ADD, 0, 0, 0);
	ch[1] = kv(79, NB_EVFILT_READ, NB_EV_ADD, 0, 0, 0);
	memset(ev, 0, sizeof(ev));
	CHECK_ERR("two failing changes, room for 1: the second error fails the call",
	    kev(kq, ch, 2, ev, 1, 0), RUMP_EBADF);
	CHECK_EQ("... after the first was reported in the room there was",
	    ev[0].flags == NB_EV_ERROR && ev[0].ident == 78 ? ev[0].data : -1, RUMP_EBADF);
	ch[0] = kv(78, NB_EVFILT_READ, NB_EV_ADD, 0, 0, 0);
	CHECK_ERR("a failing change and no room: the call fails with it",
	    kev(kq, ch, 1, ev, 0, 0), RUMP_EBADF);
	ch[0] = kv(p[0], NB_EVFILT_WRITE, NB_EV_ADD | NB_EV_RECEIPT, 0, 0, 5);
	memset(ev, 0, sizeof(ev));
	CHECK_EQ("EV_RECEIPT: a successful change is reported too", kev(kq, ch, 1, ev, 4, 0), 1);
	CHECK_EQ("... as EV_ERROR with data 0", ev[0].flags == NB_EV_ERROR ? ev[0].data : -1, 0);
	CHECK_EQ("... for the change's ident", ev[0].ident, p[0]);
	CHECK_EQ("EV_DELETE both", change(kq, p[0], NB_EVFILT_WRITE, NB_EV_DELETE, 0) |
	    change(kq, p[1], NB_EVFILT_WRITE, NB_EV_DELETE, 0), 0);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000;
	CHECK_ERR("a timeout with tv_nsec = 10^9: EINVAL",
	    rump_sys_kevent(kq, NULL, 0, (void *)ev, 1, (void *)&ts), RUMP_EINVAL);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CHECK_ERR("a negative timeout: EINVAL",
	    rump_sys_kevent(kq, NULL, 0, (void *)ev, 1, (void *)&ts), RUMP_EINVAL);
	CHECK_ERR("an unreadable change list: EFAULT",
	    rump_sys_kevent(kq, (void *)8, 1, (void *)ev, 1, NULL), RUMP_EFAULT);

	/* ---- EV_ONESHOT, EV_DISABLE/EV_ENABLE, EV_CLEAR, EV_DISPATCH ---- */
	CHECK_EQ("write 3 bytes", rump_sys_write(p[1], "abc", 3), 3);
	CHECK_EQ("EV_DELETE the read filter", change(kq, p[0], NB_EVFILT_READ, NB_EV_DELETE, 0), 0);
	CHECK_EQ("no knotes, no events", peek(kq, ev), 0);
	CHECK_EQ("EV_ADD|EV_ONESHOT", change(kq, p[0], NB_EVFILT_READ, NB_EV_ADD | NB_EV_ONESHOT, 0), 0);
	CHECK_EQ("EV_ONESHOT fires once", peek(kq, ev), 1);
	CHECK_EQ("... with EV_ADD|EV_ONESHOT as flags", ev[0].flags, NB_EV_ADD | NB_EV_ONESHOT);
	CHECK_EQ("... and never again", peek(kq, ev), 0);
	CHECK_ERR("... it is gone: EV_DELETE is ENOENT",
	    change(kq, p[0], NB_EVFILT_READ, NB_EV_DELETE, 0), RUMP_ENOENT);

	CHECK_EQ("EV_ADD|EV_DISABLE", change(kq, p[0], NB_EVFILT_READ, NB_EV_ADD | NB_EV_DISABLE, 0), 0);
	CHECK_EQ("a disabled knote does not fire", peek(kq, ev), 0);
	CHECK_EQ("EV_ENABLE", change(kq, p[0], NB_EVFILT_READ, NB_EV_ENABLE, 0), 0);
	CHECK_EQ("enabled: it fires with data 3", peek(kq, ev) == 1 ? ev[0].data : -1, 3);
	CHECK_EQ("EV_DISABLE", change(kq, p[0], NB_EVFILT_READ, NB_EV_DISABLE, 0), 0);
	CHECK_EQ("disabled again: nothing", peek(kq, ev), 0);
	CHECK_EQ("EV_DELETE it", change(kq, p[0], NB_EVFILT_READ, NB_EV_DELETE, 0), 0);

	CHECK_EQ("EV_ADD|EV_CLEAR", change(kq, p[0], NB_EVFILT_READ, NB_EV_ADD | NB_EV_CLEAR, 0), 0);
	CHECK_EQ("EV_CLEAR fires for the data there", peek(kq, ev) == 1 ? ev[0].data : -1, 3);
	CHECK_EQ("... then not again for the same data", peek(kq, ev), 0);
	CHECK_EQ("write 2 more", rump_sys_write(p[1], "de", 2), 2);
	CHECK_EQ("... new data fires it again, data 5", peek(kq, ev) == 1 ? ev[0].data : -1, 5);
	CHECK_EQ("... once", peek(kq, ev), 0);
	CHECK_EQ("read 4 of the 5", rump_sys_read(p[0], buf, 4), 4);
	CHECK_EQ("less data is not new data: nothing", peek(kq, ev), 0);
	CHECK_EQ("read the last", rump_sys_read(p[0], buf, 4), 1);
	CHECK_EQ("empty: nothing", peek(kq, ev), 0);
	CHECK_EQ("write 2", rump_sys_write(p[1], "fg", 2), 2);
	CHECK_EQ("after being drained, 2 bytes fire it again, data 2",
	    peek(kq, ev) == 1 ? ev[0].data : -1, 2);
	CHECK_EQ("EV_DELETE it", change(kq, p[0], NB_EVFILT_READ, NB_EV_DELETE, 0), 0);

	CHECK_EQ("EV_ADD|EV_DISPATCH", change(kq, p[0], NB_EVFILT_READ, NB_EV_ADD | NB_EV_DISPATCH, 0), 0);
	CHECK_EQ("EV_DISPATCH fires once", peek(kq, ev), 1);
	CHECK_EQ("... then is disabled", peek(kq, ev), 0);
	CHECK_EQ("EV_ENABLE re-arms it", change(kq, p[0], NB_EVFILT_READ, NB_EV_ENABLE, 0), 0);
	CHECK_EQ("... and it fires again", peek(kq, ev), 1);
	CHECK_EQ("EV_DELETE it", change(kq, p[0], NB_EVFILT_READ, NB_EV_DELETE, 0), 0);
	CHECK_EQ("EV_ADD again with udata 1", change(kq, p[0], NB_EVFILT_READ, NB_EV_ADD, 1), 0);
	CHECK_EQ("EV_ADD of an existing knote updates udata to 2",
	    change(kq, p[0], NB_EVFILT_READ, NB_EV_ADD, 2), 0);
	CHECK_EQ("... one knote, reporting udata 2",
	    kev(kq, NULL, 0, ev, 4, 0) == 1 ? ev[0].udata : -1, 2);
	rump_sys_read(p[0], buf, sizeof(buf));

	/* ---- timeouts and waiting ---- */
	t0 = h_mono();
	n = kev(kq, NULL, 0, ev, 4, 150);
	dt = h_mono() - t0;
	CHECK_EQ("nothing ready, 150 ms timeout: 0", n, 0);
	CHECK_RANGE("... after about 150 ms", (long long)(dt * 1000), 140, 1000);
	w.fd = p[1];
	w.delay_ms = 60;
	w.close_it = 0;
	pthread_create(&t, NULL, act_later, &w);
	t0 = h_mono();
	n = kev(kq, NULL, 0, ev, 4, -1);
	dt = h_mono() - t0;
	pthread_join(t, NULL);
	CHECK_EQ("no timeout: sleeps until another thread writes, then 1", n, 1);
	CHECK_EQ("... data 3", ev[0].data, 3);
	CHECK_RANGE("... after about 60 ms", (long long)(dt * 1000), 50, 2000);
	rump_sys_read(p[0], buf, sizeof(buf));

	/* ---- EV_EOF ---- */
	CHECK_EQ("EV_ADD EVFILT_WRITE on the write end", change(kq, p[1], NB_EVFILT_WRITE,
	    NB_EV_ADD, 0), 0);
	CHECK_EQ("write 4 bytes", rump_sys_write(p[1], "wxyz", 4), 4);
	CHECK_EQ("EV_DELETE the write filter", change(kq, p[1], NB_EVFILT_WRITE, NB_EV_DELETE, 0), 0);
	w.fd = p[1];
	w.delay_ms = 0;
	w.close_it = 1;
	act_later(&w);
	CHECK_EQ("the writer closed: the read filter holds", peek(kq, ev), 1);
	CHECK_EQ("... with EV_EOF", ev[0].flags, NB_EV_ADD | NB_EV_EOF);
	CHECK_EQ("... and data 4 (still buffered)", ev[0].data, 4);
	rump_sys_read(p[0], buf, sizeof(buf));
	CHECK_EQ("drained: still EV_EOF, data 0", peek(kq, ev) == 1 ? (long long)ev[0].flags * 100 +
	    ev[0].data : -1, (long long)(NB_EV_ADD | NB_EV_EOF) * 100);
	REQUIRE("another pipe", rump_sys_pipe(q) == 0);
	CHECK_EQ("EV_ADD EVFILT_WRITE on its write end", change(kq, q[1], NB_EVFILT_WRITE,
	    NB_EV_ADD, 0), 0);
	CHECK_EQ("close its read end", rump_sys_close(q[0]), 0);
	n = kev(kq, NULL, 0, ev, 4, 0);
	CHECK_EQ("two events now", n, 2);
	CHECK_EQ("... the write filter of the widowed write end has EV_EOF",
	    ev[1].filter == NB_EVFILT_WRITE && ev[1].ident == (uintptr_t)q[1] ?
	    ev[1].flags : 0, NB_EV_ADD | NB_EV_EOF);

	/* ---- closing a descriptor drops its knotes ---- */
	CHECK_EQ("close the first pipe's read end", rump_sys_close(p[0]), 0);
	CHECK_EQ("its knote is gone: only the write filter remains", kev(kq, NULL, 0, ev, 4, 0), 1);
	CHECK_EQ("... which is q[1]'s", ev[0].ident, q[1]);
	saved = p[0];
	CHECK_ERR("EV_DELETE on the closed descriptor: EBADF",
	    change(kq, saved, NB_EVFILT_READ, NB_EV_DELETE, 0), RUMP_EBADF);
	REQUIRE("a new pipe", rump_sys_pipe(p) == 0);
	CHECK_EQ("... whose read end reuses the number", p[0], saved);
	CHECK_EQ("write to it", rump_sys_write(p[1], "n", 1), 1);
	CHECK_EQ("the old knote does not fire for the new file", kev(kq, NULL, 0, ev, 4, 0), 1);
	CHECK_ERR("... and EV_DELETE of its number finds nothing: ENOENT",
	    change(kq, p[0], NB_EVFILT_READ, NB_EV_DELETE, 0), RUMP_ENOENT);
	CHECK_EQ("close q[1]", rump_sys_close(q[1]), 0);
	CHECK_EQ("no knotes left: nothing", kev(kq, NULL, 0, ev, 4, 0), 0);
	CHECK_EQ("closing the kqueue", rump_sys_close(kq), 0);
	CHECK_ERR("kevent on it now: EBADF", kev(kq, NULL, 0, ev, 4, 0), RUMP_EBADF);

	/* ---- a kqueue watching a kqueue ---- */
	{
		int outer, inner;

		inner = rump_sys_kqueue();
		outer = rump_sys_kqueue();
		REQUIRE("two kqueues and a pipe", inner >= 0 && outer >= 0 &&
		    rump_sys_pipe(q) == 0);
		CHECK_EQ("the inner one watches the pipe",
		    change(inner, q[0], NB_EVFILT_READ, NB_EV_ADD, 0), 0);
		CHECK_EQ("the outer one watches the inner one (EVFILT_READ)",
		    change(outer, inner, NB_EVFILT_READ, NB_EV_ADD, 0), 0);
		CHECK_ERR("a kqueue watching itself: EINVAL",
		    change(inner, inner, NB_EVFILT_READ, NB_EV_ADD, 0), RUMP_EINVAL);
		CHECK_ERR("the inner one watching the outer one (a loop): EINVAL",
		    change(inner, outer, NB_EVFILT_READ, NB_EV_ADD, 0), RUMP_EINVAL);
		CHECK_EQ("nothing pending: the outer one has nothing", peek(outer, ev), 0);
		rump_sys_write(q[1], "k", 1);
		CHECK_EQ("data in the pipe: the outer one reports the inner one",
		    peek(outer, ev) == 1 ? (long long)ev[0].ident : -1, inner);
		CHECK_EQ("... with data 1 (one event pending in it)", ev[0].data, 1);
		CHECK_ERR("EVFILT_WRITE on a kqueue: EINVAL",
		    change(outer, inner, NB_EVFILT_WRITE, NB_EV_ADD, 0), RUMP_EINVAL);
		rump_sys_read(q[0], buf, sizeof(buf));
		w.fd = q[1];
		w.delay_ms = 40;
		w.close_it = 0;
		pthread_create(&t, NULL, act_later, &w);
		n = kev(outer, NULL, 0, ev, 4, 5000);
		pthread_join(t, NULL);
		CHECK_EQ("the outer one sleeps until the pipe gets data", n, 1);
		rump_sys_close(outer);
		rump_sys_close(inner);
		rump_sys_close(q[0]);
		rump_sys_close(q[1]);
	}

	/* ---- RUMP_NCPU=1 ---- */
	{
		const char *env[] = { "RUMP_NCPU=1", NULL };

		h_run_sub("ncpu1", env, 20, &r);
		CHECK_SUB_EXIT("RUMP_NCPU=1: kevent sleeping for ever while another thread "
		    "writes: no deadlock", &r, 0);
		h_check_sub_val("... kevent returns 1 with data 3", &r, "kevent", 1, 3);
	}
	CHECK_EQ("4 writer threads, one kevent loop reading 4 pipes to EOF: every byte arrives",
	    stress_loop(), (long long)NSTRESS * STRESS_BYTES);
	{
		const char *env[] = { "RUMP_NCPU=1", NULL };

		h_run_sub("stress", env, 60, &r);
		CHECK_SUB_EXIT("... under RUMP_NCPU=1: no deadlock", &r, 0);
		h_check_sub_val("... every byte arrives", &r, "stress",
		    (long long)NSTRESS * STRESS_BYTES, 0);
	}
	return h_end();
}
