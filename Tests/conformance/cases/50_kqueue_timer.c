/* libs: -lrump -lrumpuser */
/*
 * 50_kqueue_timer: kqueue's EVFILT_TIMER (NetBSD 7's filt_timer*): the
 * ident is any number, data a period in milliseconds (0 or less: EINVAL);
 * the timer fires every period, an event's data counting the expirations
 * since the last retrieval; EV_CLEAR is set by the kernel (events report
 * EV_ADD|EV_CLEAR); EV_ONESHOT fires once and deletes the knote.  kevent
 * sleeps until the nearest expiry.  (NetBSD rounds periods to 10 ms ticks;
 * the windows below allow for either.)
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

struct timer_waiter {
	int kq;
	int rv;
	int64_t data;
};

static void *
wait_forever(void *v)
{
	struct timer_waiter *tw = v;
	struct nb_kevent ev;

	memset(&ev, 0, sizeof(ev));
	tw->rv = kev(tw->kq, NULL, 0, &ev, 1, -1);
	tw->data = ev.data;
	return NULL;
}

/* RUMP_NCPU=1: two threads each sleep in kevent for their own timer */
static int
sub_main(const char *mode)
{
	struct timer_waiter a, b;
	pthread_t ta, tb;

	if (rump_init() != 0)
		return 3;
	if (strcmp(mode, "ncpu1") != 0)
		return 2;
	a.kq = rump_sys_kqueue();
	b.kq = rump_sys_kqueue();
	if (a.kq < 0 || b.kq < 0)
		return 4;
	{
		struct nb_kevent k = kv(1, NB_EVFILT_TIMER, NB_EV_ADD, 0, 40, 0);
		struct nb_kevent l = kv(2, NB_EVFILT_TIMER, NB_EV_ADD, 0, 60, 0);

		if (kev(a.kq, &k, 1, NULL, 0, 0) != 0 || kev(b.kq, &l, 1, NULL, 0, 0) != 0)
			return 6;
	}
	pthread_create(&ta, NULL, wait_forever, &a);
	pthread_create(&tb, NULL, wait_forever, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	h_report("a", a.rv, a.data);
	h_report("b", b.rv, b.data);
	return 0;
}

/* how many periods of p seconds fit in d seconds */
#define EXPIRED(d, p) ((long long)((d) / (p)))

int
main(int argc, char **argv)
{
	struct nb_kevent ch[2], ev[4];
	struct h_sub r;
	int kq, n, i, fired;
	long long total;
	double t0, dt, reg_lo, reg_hi, c_lo, c_hi;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("50_kqueue_timer");
	H_BOOT();

	kq = rump_sys_kqueue();
	REQUIRE("a kqueue", kq >= 0);

	/* ---- registration ---- */
	ch[0] = kv(1, NB_EVFILT_TIMER, NB_EV_ADD, 0, 0, 0);
	CHECK_ERR("a timer of 0 ms: EINVAL", kev(kq, ch, 1, NULL, 0, 0), RUMP_EINVAL);
	ch[0] = kv(1, NB_EVFILT_TIMER, NB_EV_ADD, 0, -5, 0);
	CHECK_ERR("a timer of -5 ms: EINVAL", kev(kq, ch, 1, NULL, 0, 0), RUMP_EINVAL);
	CHECK_ERR("EV_DELETE of a timer that is not there: ENOENT",
	    change(kq, 1, NB_EVFILT_TIMER, NB_EV_DELETE, 0), RUMP_ENOENT);

	/* ---- a periodic timer ---- */
	ch[0] = kv(1000, NB_EVFILT_TIMER, NB_EV_ADD, 0, 50, 0xabc);
	reg_lo = h_mono();
	CHECK_EQ("EV_ADD a 50 ms timer (ident 1000: any number, not a descriptor)",
	    kev(kq, ch, 1, NULL, 0, 0), 0);
	reg_hi = h_mono();
	CHECK_EQ("not yet expired: no event", peek(kq, ev), 0);
	t0 = h_mono();
	memset(ev, 0, sizeof(ev));
	n = kev(kq, NULL, 0, ev, 4, -1);
	dt = h_mono() - t0;
	CHECK_EQ("kevent with no timeout returns the timer's event", n, 1);
	CHECK_RANGE("... after about 50 ms", (long long)(dt * 1000), 40, 300);
	CHECK_EQ("... ident 1000", ev[0].ident, 1000);
	CHECK_EQ("... filter EVFILT_TIMER", ev[0].filter, NB_EVFILT_TIMER);
	CHECK_EQ("... flags EV_ADD|EV_CLEAR (timers clear themselves)", ev[0].flags,
	    NB_EV_ADD | NB_EV_CLEAR);
	CHECK_EQ("... data: 1 expiration", ev[0].data, 1);
	CHECK_EQ("... udata as registered", ev[0].udata, 0xabc);
	CHECK_EQ("retrieved: no event right after", peek(kq, ev), 0);
	usleep(275 * 1000);
	c_lo = h_mono();
	n = peek(kq, ev);
	c_hi = h_mono();
	CHECK_EQ("after sleeping 275 ms outside the kernel: one event", n, 1);
	CHECK_GE("... counting at least the 5 expirations meanwhile", ev[0].data, 5);
	total = 1 + ev[0].data;
	CHECK_RANGE("... and with the first, one per 50 ms since the timer was set", total,
	    EXPIRED(c_lo - reg_hi, 0.05) - 1, EXPIRED(c_hi - reg_lo, 0.05) + 1);
	fired = 0;
	t0 = h_mono();
	while (h_mono() - t0 < 0.5) {
		c_lo = h_mono();
		n = kev(kq, NULL, 0, ev, 4, 100);
		c_hi = h_mono();
		if (n == 1) {
			fired++;
			total += ev[0].data;
		}
	}
	CHECK_RANGE("waiting in a loop for 500 ms: about 10 events", fired, 5, 11);
	CHECK_RANGE("... all the events count one expiration per 50 ms since the timer was set",
	    total, EXPIRED(c_lo - reg_hi, 0.05) - 1, EXPIRED(c_hi - reg_lo, 0.05) + 1);
	CHECK_EQ("EV_DELETE the timer", change(kq, 1000, NB_EVFILT_TIMER, NB_EV_DELETE, 0), 0);
	CHECK_EQ("deleted: nothing within 120 ms", kev(kq, NULL, 0, ev, 4, 120), 0);
	CHECK_ERR("EV_DELETE it again: ENOENT",
	    change(kq, 1000, NB_EVFILT_TIMER, NB_EV_DELETE, 0), RUMP_ENOENT);

	/* ---- a fast timer counts every expiration ---- */
	ch[0] = kv(7, NB_EVFILT_TIMER, NB_EV_ADD, 0, 10, 0);
	reg_lo = h_mono();
	CHECK_EQ("EV_ADD a 10 ms timer", kev(kq, ch, 1, NULL, 0, 0), 0);
	reg_hi = h_mono();
	usleep(505 * 1000);
	c_lo = h_mono();
	n = peek(kq, ev);
	c_hi = h_mono();
	CHECK_EQ("after 505 ms: one event", n, 1);
	CHECK_GE("... counting at least 50 expirations", ev[0].data, 50);
	CHECK_RANGE("... exactly one per 10 ms since the timer was set", ev[0].data,
	    EXPIRED(c_lo - reg_hi, 0.01) - 1, EXPIRED(c_hi - reg_lo, 0.01) + 1);
	CHECK_EQ("EV_DISABLE it", change(kq, 7, NB_EVFILT_TIMER, NB_EV_DISABLE, 0), 0);
	CHECK_EQ("disabled: nothing within 60 ms", kev(kq, NULL, 0, ev, 4, 60), 0);
	CHECK_EQ("EV_ENABLE it", change(kq, 7, NB_EVFILT_TIMER, NB_EV_ENABLE, 0), 0);
	CHECK_EQ("enabled: the expirations meanwhile are reported",
	    kev(kq, NULL, 0, ev, 4, 0) == 1 && ev[0].data >= 5 ? 1 : 0, 1);
	CHECK_EQ("EV_DELETE it", change(kq, 7, NB_EVFILT_TIMER, NB_EV_DELETE, 0), 0);

	/* ---- EV_ONESHOT ---- */
	ch[0] = kv(2, NB_EVFILT_TIMER, NB_EV_ADD | NB_EV_ONESHOT, 0, 30, 0);
	CHECK_EQ("EV_ADD|EV_ONESHOT a 30 ms timer", kev(kq, ch, 1, NULL, 0, 0), 0);
	t0 = h_mono();
	n = kev(kq, NULL, 0, ev, 4, 1000);
	dt = h_mono() - t0;
	CHECK_EQ("it fires", n, 1);
	CHECK_RANGE("... after about 30 ms", (long long)(dt * 1000), 20, 300);
	CHECK_EQ("... flags EV_ADD|EV_ONESHOT|EV_CLEAR", ev[0].flags,
	    NB_EV_ADD | NB_EV_ONESHOT | NB_EV_CLEAR);
	CHECK_EQ("it does not fire again within 150 ms", kev(kq, NULL, 0, ev, 4, 150), 0);
	CHECK_ERR("... it is gone: EV_DELETE is ENOENT",
	    change(kq, 2, NB_EVFILT_TIMER, NB_EV_DELETE, 0), RUMP_ENOENT);

	/* ---- two timers ---- */
	ch[0] = kv(3, NB_EVFILT_TIMER, NB_EV_ADD | NB_EV_ONESHOT, 0, 40, 0);
	ch[1] = kv(4, NB_EVFILT_TIMER, NB_EV_ADD | NB_EV_ONESHOT, 0, 120, 0);
	CHECK_EQ("two one-shot timers, 40 and 120 ms, in one call", kev(kq, ch, 2, NULL, 0, 0), 0);
	t0 = h_mono();
	n = kev(kq, NULL, 0, ev, 4, -1);
	CHECK_EQ("the first wait returns the 40 ms one alone", n == 1 ? (long long)ev[0].ident : -1, 3);
	n = kev(kq, NULL, 0, ev, 4, -1);
	dt = h_mono() - t0;
	CHECK_EQ("the second the 120 ms one", n == 1 ? (long long)ev[0].ident : -1, 4);
	CHECK_RANGE("... at about 120 ms", (long long)(dt * 1000), 110, 500);
	ch[0] = kv(5, NB_EVFILT_TIMER, NB_EV_ADD | NB_EV_ONESHOT, 0, 500, 0);
	CHECK_EQ("a 500 ms timer", kev(kq, ch, 1, NULL, 0, 0), 0);
	t0 = h_mono();
	n = kev(kq, NULL, 0, ev, 4, 100);
	dt = h_mono() - t0;
	CHECK_EQ("a 100 ms timeout ends the wait first: 0", n, 0);
	CHECK_RANGE("... after about 100 ms", (long long)(dt * 1000), 90, 400);
	CHECK_EQ("closing the kqueue with a timer pending", rump_sys_close(kq), 0);

	/* several timers in one kqueue, all reported together */
	kq = rump_sys_kqueue();
	for (i = 0; i < 3; i++) {
		ch[0] = kv(10 + i, NB_EVFILT_TIMER, NB_EV_ADD, 0, 20, 0);
		kev(kq, ch, 1, NULL, 0, 0);
	}
	usleep(70 * 1000);
	CHECK_EQ("three 20 ms timers after 70 ms: 3 events", kev(kq, NULL, 0, ev, 4, 0), 3);
	CHECK_EQ("... in registration order", ev[0].ident == 10 && ev[1].ident == 11 &&
	    ev[2].ident == 12, 1);
	rump_sys_close(kq);

	/* ---- poll and a kqueue watching a kqueue wake for a timer ---- */
	{
		struct rump_pollfd pfd;
		int outer;

		kq = rump_sys_kqueue();
		ch[0] = kv(1, NB_EVFILT_TIMER, NB_EV_ADD | NB_EV_ONESHOT, 0, 60, 0);
		CHECK_EQ("a 60 ms one-shot timer", kev(kq, ch, 1, NULL, 0, 0), 0);
		pfd.fd = kq;
		pfd.events = RUMP_POLLIN;
		pfd.revents = 0;
		t0 = h_mono();
		n = rump_sys_poll((void *)&pfd, 1, 3000);
		dt = h_mono() - t0;
		CHECK_EQ("poll on the kqueue (3 s timeout) returns 1 when the timer is due", n, 1);
		CHECK_EQ("... POLLIN", pfd.revents, RUMP_POLLIN);
		CHECK_RANGE("... after about 60 ms", (long long)(dt * 1000), 50, 1500);
		CHECK_EQ("... poll took nothing: kevent gets the event", kev(kq, NULL, 0, ev, 4, 0), 1);
		outer = rump_sys_kqueue();
		ch[0] = kv(kq, NB_EVFILT_READ, NB_EV_ADD, 0, 0, 0);
		CHECK_EQ("another kqueue watches the first", kev(outer, ch, 1, NULL, 0, 0), 0);
		ch[0] = kv(2, NB_EVFILT_TIMER, NB_EV_ADD | NB_EV_ONESHOT, 0, 80, 0);
		CHECK_EQ("an 80 ms one-shot timer in the first", kev(kq, ch, 1, NULL, 0, 0), 0);
		t0 = h_mono();
		n = kev(outer, NULL, 0, ev, 4, 3000);
		dt = h_mono() - t0;
		CHECK_EQ("kevent on the outer one returns the inner one when its timer is due",
		    n == 1 ? (long long)ev[0].ident : -1, kq);
		CHECK_RANGE("... after about 80 ms", (long long)(dt * 1000), 70, 1500);
		rump_sys_close(outer);
		rump_sys_close(kq);
	}

	/* ---- RUMP_NCPU=1 ---- */
	{
		const char *env[] = { "RUMP_NCPU=1", NULL };

		h_run_sub("ncpu1", env, 20, &r);
		CHECK_SUB_EXIT("RUMP_NCPU=1: two threads sleeping in kevent for timers: "
		    "no deadlock", &r, 0);
		h_check_sub_val("... the first gets its 40 ms timer", &r, "a", 1, 1);
		h_check_sub_val("... the second its 60 ms timer", &r, "b", 1, 1);
	}
	return h_end();
}
