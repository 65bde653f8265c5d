/*
 * kern_plugin: callouts and workqueues through the faction SDK.  The driver
 * (kern_driver.c) calls kt_run() in kernel context (rump_schedule) and gets
 * every result through its check function.
 */
#include <stdint.h>
#include <time.h>

#include <rump/rump_faction.h>

typedef void (*check_fn)(const char *, long, long);

static kmutex_t lock;
static kcondvar_t cv;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep in the kernel (the virtual CPU is released). */
static void
ksleep_ms(int ms)
{
	int64_t end = now_ms() + ms;

	mutex_enter(&lock);
	while (now_ms() < end)
		cv_timedwait(&cv, &lock, 1);
	mutex_exit(&lock);
}

/* Wait until *flag reaches want or ms pass; the value seen. */
static int
wait_for(volatile int *flag, int want, int ms)
{
	int64_t end = now_ms() + ms;
	int v;

	mutex_enter(&lock);
	while ((v = *flag) < want && now_ms() < end)
		cv_timedwait(&cv, &lock, 1);
	mutex_exit(&lock);
	return v;
}

struct cstate {
	callout_t co;
	volatile int fired, started, done, limit;
	int64_t at_ms;
	int pid;
	int lwp_kernel;
};

static void
once(void *arg)
{
	struct cstate *s = arg;

	mutex_enter(&lock);
	s->at_ms = now_ms();
	s->pid = rumpns_proc_pid(curproc);
	s->lwp_kernel = curlwp != NULL;
	s->fired++;
	cv_broadcast(&cv);
	mutex_exit(&lock);
}

static void
slow(void *arg)
{
	struct cstate *s = arg;

	mutex_enter(&lock);
	s->started = 1;
	cv_broadcast(&cv);
	mutex_exit(&lock);
	ksleep_ms(150);
	mutex_enter(&lock);
	s->done = 1;
	mutex_exit(&lock);
}

static void
periodic(void *arg)
{
	struct cstate *s = arg;

	mutex_enter(&lock);
	s->fired++;
	if (s->fired < s->limit)
		callout_schedule(&s->co, 1);
	cv_broadcast(&cv);
	mutex_exit(&lock);
}

#define NITEMS 1000
struct item {
	struct work wk;
	int idx;
};
static struct item items[NITEMS];
static int order[NITEMS];
static volatile int nrun, in_order, gate;
static lwp_t *first_lwp;
static int same_lwp, kernel_pid;

static void
work_fn(struct work *wk, void *arg)
{
	struct item *it = (struct item *)wk;

	(void)arg;
	mutex_enter(&lock);
	if (nrun == 0) {
		first_lwp = curlwp;
		same_lwp = 1;
		kernel_pid = rumpns_proc_pid(curproc) == 0;
	} else if (curlwp != first_lwp) {
		same_lwp = 0;
	}
	if (nrun < NITEMS)
		order[nrun] = it->idx;
	nrun++;
	mutex_exit(&lock);
	ksleep_ms(0);
}

static void
gated_fn(struct work *wk, void *arg)
{
	struct item *it = (struct item *)wk;

	(void)arg;
	mutex_enter(&lock);
	while (it->idx == 0 && !gate)
		cv_timedwait(&cv, &lock, 1);
	order[it->idx]++;
	nrun++;
	mutex_exit(&lock);
}

void kt_run(check_fn check);
void kt_nothreads_arm(void);
int kt_nothreads_fired(void);
int kt_nothreads_wq(void);

void
kt_run(check_fn check)
{
	static struct cstate s;
	struct workqueue *wq = NULL;
	int64_t t0;
	int i, ok;

	mutex_init(&lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cv, "kt");

	/* Once, after 5 ticks (50 ms). */
	callout_init(&s.co, CALLOUT_MPSAFE);
	check("callout: a new callout is not pending", callout_pending(&s.co), 0);
	t0 = now_ms();
	callout_reset(&s.co, 5, once, &s);
	check("callout_reset: pending", callout_pending(&s.co), 1);
	check("... active", callout_active(&s.co), 1);
	check("... fires", wait_for(&s.fired, 1, 2000), 1);
	check("... after 40-1000 ms", s.at_ms - t0 >= 40 && s.at_ms - t0 <= 1000, 1);
	check("... in pid 0 (a kernel thread)", s.pid, 0);
	check("... with an lwp", s.lwp_kernel, 1);
	ksleep_ms(80);
	check("... once only", s.fired, 1);
	check("... then expired", callout_expired(&s.co), 1);
	check("... not pending", callout_pending(&s.co), 0);
	check("... invoking until acked", callout_invoking(&s.co), 1);
	callout_ack(&s.co);
	check("callout_ack clears invoking", callout_invoking(&s.co), 0);
	check("callout_stop after it fired returns true (expired)", callout_stop(&s.co), 1);
	check("... and clears expired", callout_expired(&s.co), 0);

	/* A reset of a pending callout moves it. */
	s.fired = 0;
	t0 = now_ms();
	callout_reset(&s.co, 2, once, &s);
	callout_reset(&s.co, 30, once, &s);
	check("callout_reset of a pending callout: fires", wait_for(&s.fired, 1, 3000), 1);
	check("... at the new time (>= 250 ms)", s.at_ms - t0 >= 250, 1);
	ksleep_ms(60);
	check("... once", s.fired, 1);

	/* callout_stop prevents it. */
	s.fired = 0;
	callout_reset(&s.co, 5, once, &s);
	check("callout_stop of a pending callout returns false", callout_stop(&s.co), 0);
	check("... no longer pending", callout_pending(&s.co), 0);
	ksleep_ms(120);
	check("... it never fires", s.fired, 0);

	/* 0 and negative ticks: the next tick. */
	callout_reset(&s.co, -3, once, &s);
	check("callout_reset with -3 ticks fires on the next tick", wait_for(&s.fired, 1, 1000), 1);

	/* callout_halt waits for a running handler. */
	callout_setfunc(&s.co, slow, &s);
	callout_schedule(&s.co, 1);
	check("callout_halt: the handler started", wait_for(&s.started, 1, 2000), 1);
	mutex_enter(&lock);
	check("callout_halt (with an interlock) returns true", callout_halt(&s.co, &lock), 1);
	check("... after the handler returned", s.done, 1);
	check("... the interlock is held again", mutex_owned(&lock) != 0, 1);
	mutex_exit(&lock);

	/* A handler rescheduling itself, 5 times. */
	s.fired = 0;
	s.limit = 5;
	callout_reset(&s.co, 1, periodic, &s);
	check("periodic: the handler rescheduled itself 5 times", wait_for(&s.fired, 5, 3000), 5);
	ksleep_ms(60);
	check("... and then stopped", s.fired, 5);
	check("... not pending", callout_pending(&s.co), 0);
	callout_halt(&s.co, NULL);
	callout_destroy(&s.co);

	/* A workqueue: 1000 items, in order, on one worker; destroy waits. */
	check("workqueue_create", workqueue_create(&wq, "ktwq", work_fn, NULL, PRI_NONE, IPL_NONE,
	    WQ_MPSAFE), 0);
	for (i = 0; i < NITEMS; i++) {
		items[i].idx = i;
		workqueue_enqueue(wq, &items[i].wk, NULL);
	}
	workqueue_destroy(wq);
	check("workqueue_destroy waited for all 1000 items", nrun, NITEMS);
	for (ok = 1, i = 0; i < NITEMS; i++)
		if (order[i] != i)
			ok = 0;
	check("... run in enqueue order", ok, 1);
	check("... on one worker lwp", same_lwp, 1);
	check("... of pid 0", kernel_pid, 1);

	/* A double enqueue is reported and ignored. */
	nrun = 0;
	gate = 0;
	for (i = 0; i < 3; i++) {
		items[i].idx = i;
		order[i] = 0;
	}
	check("workqueue_create (gated)", workqueue_create(&wq, "ktgate", gated_fn, NULL, PRI_NONE,
	    IPL_NONE, WQ_MPSAFE), 0);
	workqueue_enqueue(wq, &items[0].wk, NULL);
	workqueue_enqueue(wq, &items[1].wk, NULL);
	workqueue_enqueue(wq, &items[1].wk, NULL);	/* a caller bug */
	workqueue_enqueue(wq, &items[2].wk, NULL);
	mutex_enter(&lock);
	gate = 1;
	cv_broadcast(&cv);
	mutex_exit(&lock);
	workqueue_destroy(wq);
	check("double enqueue: the work ran once", order[1], 1);
	check("... the others too", order[0] == 1 && order[2] == 1, 1);
	check("... three runs in all", nrun, 3);

	cv_destroy(&cv);
	mutex_destroy(&lock);
}

/* RUMP_THREADS=0 */
static struct cstate ns;

void
kt_nothreads_arm(void)
{
	callout_init(&ns.co, 0);
	callout_reset(&ns.co, 2, once, &ns);
}

int
kt_nothreads_fired(void)
{
	return ns.fired;
}

int
kt_nothreads_wq(void)
{
	struct workqueue *wq = NULL;

	return workqueue_create(&wq, "ktnone", work_fn, NULL, PRI_NONE, IPL_NONE, 0);
}
