/*
 * kqueue.h -- NetBSD's struct kevent and small kevent helpers shared by the
 * kqueue cases (50_kqueue*, 70_signals).  Include after harness.h.
 */
#ifndef CONFORMANCE_KQUEUE_H
#define CONFORMANCE_KQUEUE_H

struct nb_kevent {
	uintptr_t ident;
	uint32_t filter;
	uint32_t flags;
	uint32_t fflags;
	int64_t data;
	intptr_t udata;
};
_Static_assert(sizeof(struct nb_kevent) == 40, "kevent size");
_Static_assert(offsetof(struct nb_kevent, fflags) == 16, "fflags offset");
_Static_assert(offsetof(struct nb_kevent, data) == 24, "data offset");
_Static_assert(offsetof(struct nb_kevent, udata) == 32, "udata offset");

#define NB_EVFILT_READ	0
#define NB_EVFILT_WRITE	1
#define NB_EVFILT_PROC	4
#define NB_EVFILT_SIGNAL	5
#define NB_EVFILT_TIMER	6
#define NB_EV_ADD	0x1
#define NB_EV_DELETE	0x2
#define NB_EV_ENABLE	0x4
#define NB_EV_DISABLE	0x8
#define NB_EV_ONESHOT	0x10
#define NB_EV_CLEAR	0x20
#define NB_EV_RECEIPT	0x40
#define NB_EV_DISPATCH	0x80
#define NB_EV_ERROR	0x4000
#define NB_EV_EOF	0x8000

H_UNUSED static struct nb_kevent
kv(uintptr_t ident, uint32_t filter, uint32_t flags, uint32_t fflags, int64_t data,
    intptr_t udata)
{
	struct nb_kevent k;

	memset(&k, 0x5a, sizeof(k));	/* padding, as a caller may leave it */
	k.ident = ident;
	k.filter = filter;
	k.flags = flags;
	k.fflags = fflags;
	k.data = data;
	k.udata = udata;
	return k;
}

/* kevent with a timeout in milliseconds (-1: NULL, wait for ever) */
H_UNUSED static int
kev(int kq, const struct nb_kevent *ch, int nch, struct nb_kevent *ev, int nev, long ms)
{
	struct rump_timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	return rump_sys_kevent(kq, (const void *)ch, nch, (void *)ev, nev,
	    ms < 0 ? NULL : (void *)&ts);
}

/* apply one change with no event list: 0 or -1/errno */
H_UNUSED static int
change(int kq, uintptr_t ident, uint32_t filter, uint32_t flags, intptr_t udata)
{
	struct nb_kevent k = kv(ident, filter, flags, 0, 0, udata);

	return kev(kq, &k, 1, NULL, 0, 0);
}

#endif /* CONFORMANCE_KQUEUE_H */
