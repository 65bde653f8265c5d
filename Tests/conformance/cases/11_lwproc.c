/* libs: -lrump -lrumpuser */
/*
 * 11_lwproc: processes and lwps through the lwproc interface.
 *
 * After boot a host thread runs in the implicit context (pid 1, curlwp
 * NULL).  rump_pub_lwproc_rfork makes a child of the current process (pids
 * 2, 3, 4, ... as the reference allocates them) and switches to its lwp;
 * newlwp adds an lwp to an existing process; switch moves the thread
 * between lwps (NULL: back to the implicit context); releaselwp drops the
 * current lwp and a process ends with its last one (its children go to pid
 * 1).  Misuse, which aborts the reference, must report an errno and change
 * nothing: releasing with no lwp (EINVAL), switching to a released lwp
 * (EINVAL), switching to an lwp current on another host thread (EBUSY).
 * Host threads without an lwp run as implicit lwps of pid 1, concurrently.
 */
#include "../harness.h"

/* ---- an lwp held by another host thread ---- */

struct holder {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;		/* 0 start, 1 holding, 2 release now, 3 done */
	int rv;
	pid_t pid;
	struct lwp *lwp;
};

static void
holder_set(struct holder *h, int state)
{
	pthread_mutex_lock(&h->mu);
	h->state = state;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static void
holder_wait(struct holder *h, int state)
{
	pthread_mutex_lock(&h->mu);
	while (h->state < state)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

static void *
holder_main(void *arg)
{
	struct holder *h = arg;

	h->rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	h->lwp = rump_pub_lwproc_curlwp();
	h->pid = rump_sys_getpid();
	holder_set(h, 1);
	holder_wait(h, 2);
	if (h->rv == 0)
		rump_pub_lwproc_releaselwp();
	holder_set(h, 3);
	return NULL;
}

/* ---- a thread adopting an lwp nobody runs ---- */

struct adopt {
	struct lwp *lwp;
	int errno_after;
	pid_t pid;
	struct lwp *cur;
};

static void *
adopt_main(void *arg)
{
	struct adopt *a = arg;

	errno = 0;
	rump_pub_lwproc_switch(a->lwp);
	a->errno_after = errno;
	a->cur = rump_pub_lwproc_curlwp();
	a->pid = rump_sys_getpid();
	rump_pub_lwproc_switch(NULL);
	return NULL;
}

/* ---- implicit lwps ---- */

#define NIMPLICIT 8
#define IMPLICIT_CALLS 2000

static pthread_barrier_t implicit_barrier;

struct implicit {
	int index;
	int wrong;		/* getpid results other than the expected pid */
	int ppid_wrong;
	int curlwp_nonnull;
	int rfork_rv;
	pid_t own_pid;		/* thread 0 only: its rforked pid */
	pid_t seen_during;	/* getpid while thread 0 holds its process */
};

static void *
implicit_main(void *arg)
{
	struct implicit *t = arg;
	int i;

	if (rump_pub_lwproc_curlwp() != NULL)
		t->curlwp_nonnull++;
	pthread_barrier_wait(&implicit_barrier);
	for (i = 0; i < IMPLICIT_CALLS; i++) {
		if (rump_sys_getpid() != 1)
			t->wrong++;
		if (rump_sys_getppid() != 0)
			t->ppid_wrong++;
	}
	/* phase 2: thread 0 rforks, the others stay implicit */
	pthread_barrier_wait(&implicit_barrier);
	if (t->index == 0) {
		t->rfork_rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
		t->own_pid = rump_sys_getpid();
	}
	pthread_barrier_wait(&implicit_barrier);
	t->seen_during = rump_sys_getpid();
	for (i = 0; i < IMPLICIT_CALLS; i++) {
		pid_t want = (t->index == 0) ? t->own_pid : 1;
		if (rump_sys_getpid() != want)
			t->wrong++;
	}
	pthread_barrier_wait(&implicit_barrier);
	if (t->index == 0 && t->rfork_rv == 0)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

static int short_lived_ok;
static pthread_mutex_t short_lived_mu = PTHREAD_MUTEX_INITIALIZER;

static void *
short_lived_main(void *arg)
{
	(void)arg;
	if (rump_sys_getpid() == 1 && rump_pub_lwproc_curlwp() == NULL) {
		pthread_mutex_lock(&short_lived_mu);
		short_lived_ok++;
		pthread_mutex_unlock(&short_lived_mu);
	}
	return NULL;
}

static void *
curlwp_probe(void *arg)
{
	*(struct lwp **)arg = rump_pub_lwproc_curlwp();
	return NULL;
}

int
main(int argc, char **argv)
{
	struct lwp *l2, *l2b, *l3, *l4, *lx, *l0, *cur;
	int lid2, lid2b;
	pid_t next;
	int i;

	(void)argc;
	(void)argv;
	h_begin("11_lwproc");
	H_BOOT();

	/* ---- the implicit context ---- */
	CHECK_EQ("getpid() after boot is 1", rump_sys_getpid(), 1);
	CHECK_EQ("getppid() of pid 1 is 0", rump_sys_getppid(), 0);
	CHECK_NULL("curlwp() after boot is NULL", rump_pub_lwproc_curlwp());

	/* ---- rfork ---- */
	CHECK_EQ("rfork(RUMP_RFCFDG) returns 0", rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	l2 = rump_pub_lwproc_curlwp();
	CHECK_NONNULL("curlwp() after rfork is non-NULL", l2);
	CHECK_EQ("the first rforked process is pid 2", rump_sys_getpid(), 2);
	CHECK_EQ("its parent is pid 1", rump_sys_getppid(), 1);
	lid2 = rump_sys__lwp_self();
	{
		struct lwp *other = (struct lwp *)1;
		pthread_t t;

		pthread_create(&t, NULL, curlwp_probe, &other);
		pthread_join(t, NULL);
		CHECK_NULL("another host thread's curlwp() stays NULL", other);
	}

	CHECK_EQ("rfork(RUMP_RFFDG) from pid 2 returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	l3 = rump_pub_lwproc_curlwp();
	CHECK_EQ("... is pid 3", rump_sys_getpid(), 3);
	CHECK_EQ("... a child of pid 2", rump_sys_getppid(), 2);
	CHECK_TRUE("... with an lwp of its own", l3 != NULL && l3 != l2);

	rump_pub_lwproc_switch(NULL);
	CHECK_NULL("switch(NULL): curlwp() is NULL", rump_pub_lwproc_curlwp());
	CHECK_EQ("switch(NULL): getpid() is 1", rump_sys_getpid(), 1);
	CHECK_EQ("rfork(0) from the implicit context returns 0",
	    rump_pub_lwproc_rfork(0), 0);
	l4 = rump_pub_lwproc_curlwp();
	CHECK_EQ("... is pid 4", rump_sys_getpid(), 4);
	CHECK_EQ("... a child of pid 1", rump_sys_getppid(), 1);

	/* ---- bad rfork flags ---- */
	CHECK_EQ("rfork(RFFDG|RFCFDG) returns EINVAL",
	    rump_pub_lwproc_rfork(RUMP_RFFDG | RUMP_RFCFDG), RUMP_EINVAL);
	CHECK_EQ("rfork(0x4) returns EINVAL", rump_pub_lwproc_rfork(0x4), RUMP_EINVAL);
	CHECK_EQ("rfork(-1) returns EINVAL", rump_pub_lwproc_rfork(-1), RUMP_EINVAL);
	CHECK_TRUE("failed rforks leave curlwp alone", rump_pub_lwproc_curlwp() == l4);
	CHECK_EQ("failed rforks leave getpid() at 4", rump_sys_getpid(), 4);

	/* ---- newlwp ---- */
	CHECK_EQ("newlwp(2) returns 0", rump_pub_lwproc_newlwp(2), 0);
	l2b = rump_pub_lwproc_curlwp();
	CHECK_TRUE("newlwp(2) makes a new lwp current", l2b != NULL && l2b != l2);
	CHECK_EQ("newlwp(2): getpid() is 2", rump_sys_getpid(), 2);
	CHECK_EQ("newlwp(2): getppid() is 1", rump_sys_getppid(), 1);
	lid2b = rump_sys__lwp_self();
	CHECK_TRUE("the two lwps of pid 2 have different lwp ids", lid2b != lid2);
	CHECK_EQ("newlwp(99999) returns ESRCH", rump_pub_lwproc_newlwp(99999),
	    RUMP_ESRCH);
	CHECK_EQ("newlwp(-1) returns ESRCH", rump_pub_lwproc_newlwp(-1), RUMP_ESRCH);
	CHECK_TRUE("failed newlwp leaves curlwp alone", rump_pub_lwproc_curlwp() == l2b);
	CHECK_EQ("newlwp(0) (proc0) returns 0", rump_pub_lwproc_newlwp(0), 0);
	l0 = rump_pub_lwproc_curlwp();
	CHECK_EQ("newlwp(0): getpid() is 0", rump_sys_getpid(), 0);
	rump_pub_lwproc_releaselwp();
	CHECK_NULL("releasing the proc0 lwp: curlwp() is NULL", rump_pub_lwproc_curlwp());
	CHECK_EQ("proc0 survives the release: newlwp(0) again returns 0",
	    rump_pub_lwproc_newlwp(0), 0);
	rump_pub_lwproc_releaselwp();
	(void)l0;

	/* ---- switching between processes ---- */
	rump_pub_lwproc_switch(l3);
	CHECK_EQ("switch(l3): getpid() is 3", rump_sys_getpid(), 3);
	CHECK_TRUE("switch(l3): curlwp() is l3", rump_pub_lwproc_curlwp() == l3);
	rump_pub_lwproc_switch(l2);
	CHECK_EQ("switch(l2): getpid() is 2", rump_sys_getpid(), 2);
	CHECK_EQ("switch(l2): _lwp_self() is the first lwp's id",
	    rump_sys__lwp_self(), lid2);
	rump_pub_lwproc_switch(l4);
	CHECK_EQ("switch(l4): getpid() is 4", rump_sys_getpid(), 4);
	rump_pub_lwproc_switch(l2b);
	CHECK_EQ("switch(l2b): getpid() is 2", rump_sys_getpid(), 2);
	CHECK_EQ("switch(l2b): _lwp_self() is the second lwp's id",
	    rump_sys__lwp_self(), lid2b);
	rump_pub_lwproc_switch(NULL);
	CHECK_EQ("switch(NULL) returns to pid 1", rump_sys_getpid(), 1);
	CHECK_NULL("... with curlwp() NULL", rump_pub_lwproc_curlwp());

	/* an lwp nobody runs may be taken over by another host thread */
	{
		struct adopt a = { l4, -1, -1, NULL };
		pthread_t t;

		pthread_create(&t, NULL, adopt_main, &a);
		pthread_join(t, NULL);
		CHECK_EQ("another thread switches to l4: errno stays 0", a.errno_after, 0);
		CHECK_TRUE("... its curlwp() is l4", a.cur == l4);
		CHECK_EQ("... and its getpid() is 4", a.pid, 4);
	}

	/* ---- releasing ---- */
	rump_pub_lwproc_switch(l4);
	CHECK_VOID_ERRNO("releaselwp() of pid 4's only lwp: errno stays 0",
	    rump_pub_lwproc_releaselwp(), 0);
	CHECK_NULL("after releaselwp() curlwp() is NULL", rump_pub_lwproc_curlwp());
	CHECK_EQ("after releaselwp() getpid() is 1", rump_sys_getpid(), 1);
	CHECK_EQ("pid 4 ended with its last lwp: newlwp(4) returns ESRCH",
	    rump_pub_lwproc_newlwp(4), RUMP_ESRCH);
	CHECK_NULL("... and curlwp() stays NULL", rump_pub_lwproc_curlwp());

	rump_pub_lwproc_switch(l2b);
	rump_pub_lwproc_releaselwp();
	CHECK_EQ("releasing one of pid 2's two lwps keeps it: newlwp(2) returns 0",
	    rump_pub_lwproc_newlwp(2), 0);
	CHECK_EQ("... getpid() is 2", rump_sys_getpid(), 2);
	rump_pub_lwproc_releaselwp();

	/* pid 2 ends: its child pid 3 is handed to pid 1 */
	rump_pub_lwproc_switch(l2);
	rump_pub_lwproc_releaselwp();
	CHECK_EQ("pid 2 ended: newlwp(2) returns ESRCH", rump_pub_lwproc_newlwp(2),
	    RUMP_ESRCH);
	rump_pub_lwproc_switch(l3);
	CHECK_EQ("switch(l3) after its parent ended: getpid() is 3",
	    rump_sys_getpid(), 3);
	CHECK_EQ("the orphan pid 3 was reparented: getppid() is 1",
	    rump_sys_getppid(), 1);

	/* pids keep increasing: released ones are not handed out at once */
	CHECK_EQ("rfork() from pid 3 returns 0", rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	CHECK_EQ("the next process is pid 5 (2 and 4 are not reused yet)",
	    rump_sys_getpid(), 5);
	CHECK_EQ("pid 5 is a child of pid 3", rump_sys_getppid(), 3);
	lx = rump_pub_lwproc_curlwp();
	rump_pub_lwproc_releaselwp();
	CHECK_EQ("pid 5 released: newlwp(5) returns ESRCH", rump_pub_lwproc_newlwp(5),
	    RUMP_ESRCH);

	/* ---- misuse: an error, nothing changes, the process keeps working ---- */
	rump_pub_lwproc_switch(NULL);
	CHECK_VOID_ERRNO("releaselwp() with no lwp sets errno to EINVAL",
	    rump_pub_lwproc_releaselwp(), RUMP_EINVAL);
	CHECK_NULL("... curlwp() stays NULL", rump_pub_lwproc_curlwp());
	CHECK_EQ("... getpid() is still 1", rump_sys_getpid(), 1);
	CHECK_VOID_ERRNO("a second releaselwp() with no lwp: EINVAL again",
	    rump_pub_lwproc_releaselwp(), RUMP_EINVAL);

	rump_pub_lwproc_switch(l3);
	CHECK_VOID_ERRNO("switch() to the released lwp of pid 5 sets errno to EINVAL",
	    rump_pub_lwproc_switch(lx), RUMP_EINVAL);
	CHECK_TRUE("... curlwp() is still l3", rump_pub_lwproc_curlwp() == l3);
	CHECK_EQ("... getpid() is still 3", rump_sys_getpid(), 3);
	CHECK_VOID_ERRNO("switch() to the released lwp of pid 4 sets errno to EINVAL",
	    rump_pub_lwproc_switch(l4), RUMP_EINVAL);
	CHECK_TRUE("... curlwp() is still l3", rump_pub_lwproc_curlwp() == l3);
	{
		long junk[64];

		memset(junk, 0, sizeof(junk));
		CHECK_VOID_ERRNO("switch() to a pointer that was never an lwp: EINVAL",
		    rump_pub_lwproc_switch((struct lwp *)junk), RUMP_EINVAL);
		CHECK_EQ("... getpid() is still 3", rump_sys_getpid(), 3);
	}
	CHECK_VOID_ERRNO("switch() to the current lwp is harmless (errno 0)",
	    rump_pub_lwproc_switch(l3), 0);
	CHECK_EQ("... getpid() is still 3", rump_sys_getpid(), 3);

	/* an lwp current on another host thread: EBUSY */
	{
		struct holder h;
		pthread_t t;

		memset(&h, 0, sizeof(h));
		pthread_mutex_init(&h.mu, NULL);
		pthread_cond_init(&h.cv, NULL);
		pthread_create(&t, NULL, holder_main, &h);
		holder_wait(&h, 1);
		CHECK_EQ("another thread's rfork() returns 0", h.rv, 0);
		CHECK_EQ("... it runs as pid 6", h.pid, 6);
		CHECK_VOID_ERRNO("switch() to the lwp current on that thread: EBUSY",
		    rump_pub_lwproc_switch(h.lwp), RUMP_EBUSY);
		CHECK_TRUE("... curlwp() is still l3", rump_pub_lwproc_curlwp() == l3);
		CHECK_EQ("... getpid() is still 3", rump_sys_getpid(), 3);
		rump_pub_lwproc_switch(NULL);
		CHECK_VOID_ERRNO("switch() to it from the implicit context: EBUSY",
		    rump_pub_lwproc_switch(h.lwp), RUMP_EBUSY);
		CHECK_NULL("... curlwp() stays NULL", rump_pub_lwproc_curlwp());
		CHECK_EQ("... getpid() is 1", rump_sys_getpid(), 1);
		CHECK_EQ("newlwp(6) while the other thread runs pid 6 returns 0",
		    rump_pub_lwproc_newlwp(6), 0);
		CHECK_EQ("... getpid() is 6", rump_sys_getpid(), 6);
		rump_pub_lwproc_releaselwp();
		holder_set(&h, 2);
		pthread_join(t, NULL);
		CHECK_VOID_ERRNO("once that thread released it: switch() gives EINVAL",
		    rump_pub_lwproc_switch(h.lwp), RUMP_EINVAL);
		CHECK_EQ("pid 6 is gone: newlwp(6) returns ESRCH",
		    rump_pub_lwproc_newlwp(6), RUMP_ESRCH);
	}
	/* and the other way round: another thread wants our lwp */
	{
		struct adopt a = { l3, -1, -1, NULL };
		pthread_t t;

		rump_pub_lwproc_switch(l3);
		pthread_create(&t, NULL, adopt_main, &a);
		pthread_join(t, NULL);
		CHECK_EQ("another thread switching to our current lwp gets EBUSY",
		    a.errno_after, RUMP_EBUSY);
		CHECK_NULL("... and stays in the implicit context", a.cur);
		CHECK_EQ("... as pid 1", a.pid, 1);
		CHECK_EQ("our getpid() is still 3", rump_sys_getpid(), 3);
	}

	rump_pub_lwproc_switch(NULL);

	/* ---- implicit lwps on many host threads ---- */
	{
		pthread_t th[NIMPLICIT];
		struct implicit t[NIMPLICIT];
		int wrong = 0, pwrong = 0, nonnull = 0, others_ok = 1;

		pthread_barrier_init(&implicit_barrier, NULL, NIMPLICIT);
		memset(t, 0, sizeof(t));
		for (i = 0; i < NIMPLICIT; i++) {
			t[i].index = i;
			pthread_create(&th[i], NULL, implicit_main, &t[i]);
		}
		for (i = 0; i < NIMPLICIT; i++)
			pthread_join(th[i], NULL);
		for (i = 0; i < NIMPLICIT; i++) {
			wrong += t[i].wrong;
			pwrong += t[i].ppid_wrong;
			nonnull += t[i].curlwp_nonnull;
			if (i > 0 && t[i].seen_during != 1)
				others_ok = 0;
		}
		CHECK_EQ("8 threads without an lwp: curlwp() NULL in each", nonnull, 0);
		CHECK_EQ("8 threads x 2000 concurrent getpid(): every result 1 (and "
		    "the rforked thread's its own pid)", wrong, 0);
		CHECK_EQ("8 threads x 2000 concurrent getppid(): every result 0",
		    pwrong, 0);
		CHECK_EQ("a thread that rforks: rfork() returns 0", t[0].rfork_rv, 0);
		CHECK_EQ("... it sees its own pid 7", t[0].own_pid, 7);
		CHECK_EQ("... while it holds it, its getpid() is 7", t[0].seen_during, 7);
		CHECK_TRUE("... and the other threads still see pid 1", others_ok);
		pthread_barrier_destroy(&implicit_barrier);
	}

	/* 1000 short-lived threads, each one getpid() */
	{
		int batch, nthreads = 0;

		short_lived_ok = 0;
		for (batch = 0; batch < 20; batch++) {
			pthread_t th[50];
			for (i = 0; i < 50; i++) {
				if (pthread_create(&th[i], NULL, short_lived_main, NULL) != 0)
					break;
			}
			nthreads += i;
			while (i-- > 0)
				pthread_join(th[i], NULL);
		}
		CHECK_EQ("1000 short-lived threads were started", nthreads, 1000);
		CHECK_EQ("... each saw getpid() == 1 and curlwp() NULL", short_lived_ok,
		    1000);
	}
	CHECK_EQ("implicit lwps use no pids: the next rfork() returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	next = rump_sys_getpid();
	CHECK_EQ("... and makes pid 8", next, 8);
	rump_pub_lwproc_releaselwp();
	CHECK_EQ("the main thread is back in pid 1", rump_sys_getpid(), 1);
	cur = rump_pub_lwproc_curlwp();
	CHECK_NULL("... with curlwp() NULL", cur);

	/* ---- allbetsareoff_setid ---- */
	rump_pub_lwproc_switch(l3);
	CHECK_EQ("rfork() for setid returns 0", rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	CHECK_EQ("... it is pid 9", rump_sys_getpid(), 9);
	rump_pub_allbetsareoff_setid(5000, 77);
	CHECK_EQ("allbetsareoff_setid(5000, 77): getpid() is 5000",
	    rump_sys_getpid(), 5000);
	CHECK_EQ("allbetsareoff_setid(5000, 77): _lwp_self() is 77",
	    rump_sys__lwp_self(), 77);
	CHECK_EQ("... getppid() is still 3", rump_sys_getppid(), 3);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(l3);
	rump_pub_lwproc_releaselwp();
	CHECK_EQ("all test processes released: getpid() is 1", rump_sys_getpid(), 1);

	return h_end();
}
