/* libs: -lrump -lrumpuser */
/*
 * 50_kqueue_proc: kqueue's EVFILT_PROC (4) on rump processes.  The ident
 * is a pid (ESRCH 3 if there is none; EACCES 13 for another user's
 * process); fflags asks for NOTE_EXIT 0x80000000, NOTE_FORK 0x40000000,
 * NOTE_TRACK 1.  An rfork reports NOTE_FORK on the parent's knote and,
 * with NOTE_TRACK, adds a knote for the child (the parent knote's flags
 * plus EV_ENABLE) that reports NOTE_CHILD (4) with the parent's pid as
 * data.  Releasing a process's last lwp ends it:
 * NOTE_EXIT with status 0, EV_EOF|EV_ONESHOT, and the knote is gone.
 */
#include "../harness.h"
#include "../kqueue.h"

#define NOTE_EXIT	0x80000000u
#define NOTE_FORK	0x40000000u
#define NOTE_TRACK	0x00000001u
#define NOTE_CHILD	0x00000004u

/* the event for `ident` among n, or NULL */
static struct nb_kevent *
find(struct nb_kevent *ev, int n, uintptr_t ident)
{
	int i;

	for (i = 0; i < n; i++)
		if (ev[i].ident == ident)
			return &ev[i];
	return NULL;
}

int
main(void)
{
	struct nb_kevent ch, ev[8], *e;
	struct lwp *lp, *lc, *lg;
	int kq, pp, pc, pg, n;

	h_begin("50_kqueue_proc");
	H_BOOT();

	REQUIRE("rfork the watcher P", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	lp = rump_pub_lwproc_curlwp();
	pp = rump_sys_getpid();
	kq = rump_sys_kqueue();
	REQUIRE("kqueue in P", kq >= 0);
	CHECK_ERR("EVFILT_PROC for pid 29999: ESRCH",
	    change(kq, 29999, NB_EVFILT_PROC, NB_EV_ADD, 0), RUMP_ESRCH);

	REQUIRE("rfork C from P", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	lc = rump_pub_lwproc_curlwp();
	pc = rump_sys_getpid();
	rump_pub_lwproc_switch(lp);
	ch = kv(pc, NB_EVFILT_PROC, NB_EV_ADD | NB_EV_CLEAR, NOTE_EXIT | NOTE_FORK | NOTE_TRACK, 0, 42);
	CHECK_EQ("watch C for exit, fork, track (EV_CLEAR)", kev(kq, &ch, 1, NULL, 0, 0), 0);
	CHECK_EQ("nothing yet", kev(kq, NULL, 0, ev, 8, 0), 0);

	/* C forks G */
	rump_pub_lwproc_switch(lc);
	REQUIRE("rfork G from C", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	lg = rump_pub_lwproc_curlwp();
	pg = rump_sys_getpid();
	rump_pub_lwproc_switch(lp);
	memset(ev, 0, sizeof(ev));
	n = kev(kq, NULL, 0, ev, 8, 0);
	CHECK_EQ("after C forks G: two events", n, 2);
	e = find(ev, n, pc);
	CHECK_TRUE("one for C", e != NULL);
	if (e != NULL) {
		CHECK_EQ("... filter EVFILT_PROC", e->filter, NB_EVFILT_PROC);
		CHECK_EQ("... fflags NOTE_FORK", e->fflags, NOTE_FORK);
		CHECK_EQ("... flags EV_ADD|EV_CLEAR", e->flags, NB_EV_ADD | NB_EV_CLEAR);
		CHECK_EQ("... udata", e->udata, 42);
	}
	e = find(ev, n, pg);
	CHECK_TRUE("one for G (tracked)", e != NULL);
	if (e != NULL) {
		CHECK_EQ("... fflags NOTE_CHILD", e->fflags, NOTE_CHILD);
		CHECK_EQ("... data: the parent's pid", e->data, pc);
		CHECK_EQ("... udata copied", e->udata, 42);
	}
	CHECK_EQ("EV_CLEAR: nothing more", kev(kq, NULL, 0, ev, 8, 0), 0);

	/* G ends */
	rump_pub_lwproc_switch(lg);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(lp);
	memset(ev, 0, sizeof(ev));
	n = kev(kq, NULL, 0, ev, 8, 0);
	CHECK_EQ("after G's last lwp is released: one event", n, 1);
	CHECK_EQ("... for G", ev[0].ident, pg);
	CHECK_EQ("... fflags NOTE_EXIT", ev[0].fflags, NOTE_EXIT);
	CHECK_EQ("... the tracked knote's flags (EV_ENABLE too), EV_EOF|EV_ONESHOT added",
	    ev[0].flags, NB_EV_ADD | NB_EV_ENABLE | NB_EV_CLEAR | NB_EV_EOF | NB_EV_ONESHOT);
	CHECK_EQ("... status 0", ev[0].data, 0);
	CHECK_EQ("one shot: gone", kev(kq, NULL, 0, ev, 8, 0), 0);
	CHECK_ERR("EV_DELETE of G's knote: ENOENT",
	    change(kq, pg, NB_EVFILT_PROC, NB_EV_DELETE, 0), RUMP_ENOENT);
	CHECK_ERR("watching G now: ESRCH", change(kq, pg, NB_EVFILT_PROC, NB_EV_ADD, 0), RUMP_ESRCH);

	/* C ends, with a sleeper waiting for it */
	rump_pub_lwproc_switch(lc);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(lp);
	n = kev(kq, NULL, 0, ev, 8, 1000);
	CHECK_EQ("C's exit: one event", n, 1);
	CHECK_EQ("... for C with NOTE_EXIT", ev[0].ident == (uintptr_t)pc && ev[0].fflags == NOTE_EXIT, 1);

	/* without NOTE_EXIT asked for, an exit still ends the knote */
	REQUIRE("rfork D from P", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	lc = rump_pub_lwproc_curlwp();
	pc = rump_sys_getpid();
	rump_pub_lwproc_switch(lp);
	ch = kv(pc, NB_EVFILT_PROC, NB_EV_ADD, NOTE_FORK, 0, 0);
	CHECK_EQ("watch D for forks only", kev(kq, &ch, 1, NULL, 0, 0), 0);
	rump_pub_lwproc_switch(lc);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(lp);
	n = kev(kq, NULL, 0, ev, 8, 0);
	CHECK_EQ("D's exit: one event", n, 1);
	CHECK_EQ("... fflags 0, EV_EOF|EV_ONESHOT", ev[0].fflags == 0 &&
	    ev[0].flags == (NB_EV_ADD | NB_EV_EOF | NB_EV_ONESHOT), 1);

	/* another user's process */
	REQUIRE("rfork U from P", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	REQUIRE("U: setuid(1000)", rump_sys_setuid(1000) == 0);
	lc = rump_pub_lwproc_curlwp();
	n = rump_sys_kqueue();
	CHECK_ERR("uid 1000: watching root's P: EACCES",
	    change(n, pp, NB_EVFILT_PROC, NB_EV_ADD, 0), RUMP_EACCES);
	CHECK_EQ("uid 1000: watching itself: 0",
	    change(n, rump_sys_getpid(), NB_EVFILT_PROC, NB_EV_ADD, 0), 0);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(lp);
	(void)lc;

	rump_sys_close(kq);
	return h_end();
}
