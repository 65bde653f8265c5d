/*
 * 70_signals -- signals the rump way: kill, sigprocmask, sigpending with
 * NetBSD numbers (SIGUSR1 30, SIGUSR2 31, SIGPIPE 13, NSIG 64) under each
 * signal model, and interruptible sleeps (EINTR) under RECORD.
 *
 * The main process boots with RUMP_SIGMODEL_RECORD; the RAISE, IGNORE and
 * PANIC models run in fresh sub-processes.
 */
#include "../harness.h"
#include "../kqueue.h"

#define NB_SIGKILL	9
#define NB_SIGPIPE	13
#define NB_SIGUSR1	30
#define NB_SIGUSR2	31
#define NB_SIG_BLOCK	1
#define NB_SIG_UNBLOCK	2
#define NB_SIG_SETMASK	3

/* NetBSD's sigset_t */
struct nbset { uint32_t bits[4]; };
#define S(p) ((sigset_t *)(void *)(p))

static struct nbset
nbset_of(int a, int b)
{
	struct nbset s;

	memset(&s, 0, sizeof(s));
	if (a > 0) s.bits[(a - 1) / 32] |= 1u << ((a - 1) % 32);
	if (b > 0) s.bits[(b - 1) / 32] |= 1u << ((b - 1) % 32);
	return s;
}

/* the pending set's first word (-1: the call failed) */
static long long
pending0(int word)
{
	struct nbset s;

	memset(&s, 0xee, sizeof(s));
	if (rump_sys_sigpending(S(&s)) != 0)
		return -1;
	return s.bits[word];
}

static long long
mask0(void)
{
	struct nbset s;

	memset(&s, 0xee, sizeof(s));
	if (rump_sys_sigprocmask(NB_SIG_BLOCK, NULL, S(&s)) != 0)
		return -1;
	return s.bits[0];
}

/* ---- sub-processes ---- */

static volatile sig_atomic_t host_seen[65];

static void
host_handler(int sig)
{
	if (sig > 0 && sig < 65)
		host_seen[sig]++;
}

static int
sub_raise(void)
{
	struct nbset s, e;
	struct rump_timespec ts = { 0, 0 };

	signal(SIGUSR1, host_handler);
	signal(SIGUSR2, host_handler);
	if (rump_init() != 0)
		return 1;
	H_REPORT_CALL("kill_usr1", rump_sys_kill(rump_sys_getpid(), NB_SIGUSR1));
	h_report("usr1_seen", host_seen[SIGUSR1], host_seen[NB_SIGUSR1]);
	/* blocked: pending in the rump process, raised when unblocked */
	s = nbset_of(NB_SIGUSR2, 0);
	H_REPORT_CALL("block", rump_sys_sigprocmask(NB_SIG_BLOCK, S(&s), NULL));
	H_REPORT_CALL("kill_usr2", rump_sys_kill(rump_sys_getpid(), NB_SIGUSR2));
	h_report("usr2_blocked_seen", host_seen[SIGUSR2], 0);
	h_report("pending_blocked", pending0(0), 0);
	/* pollts with an empty mask lets the pending SIGUSR2 through */
	e = nbset_of(0, 0);
	H_REPORT_CALL("pollts_empty_mask", rump_sys_pollts(NULL, 0, (void *)&ts, S(&e)));
	h_report("usr2_seen_pollts", host_seen[SIGUSR2], 0);
	h_report("mask_after_pollts", mask0(), 0);
	h_report("pending_after_pollts", pending0(0), 0);
	H_REPORT_CALL("unblock", rump_sys_sigprocmask(NB_SIG_UNBLOCK, S(&s), NULL));
	h_report("usr2_seen", host_seen[SIGUSR2], 0);
	h_report("pending_after", pending0(0), 0);
	return 0;
}

static int
sub_ignore(void)
{
	rump_boot_setsigmodel(RUMP_SIGMODEL_IGNORE);
	if (rump_init() != 0)
		return 1;
	H_REPORT_CALL("kill", rump_sys_kill(rump_sys_getpid(), NB_SIGUSR1));
	h_report("pending", pending0(0), 0);
	return 0;
}

static int
sub_panic(void)
{
	rump_boot_setsigmodel(RUMP_SIGMODEL_PANIC);
	if (rump_init() != 0)
		return 1;
	H_REPORT_CALL("kill_pipe", rump_sys_kill(rump_sys_getpid(), NB_SIGPIPE));
	H_REPORT_CALL("kill_zero", rump_sys_kill(rump_sys_getpid(), 0));
	rump_sys_kill(rump_sys_getpid(), NB_SIGUSR1);
	h_report("survived", 1, 0);
	return 0;
}

/* ---- EINTR from another thread ---- */

struct sleeper {
	volatile int pid;
	int rv, err;
	double slept;
	struct rump_timespec left;
};

static void *
sleeper_thread(void *arg)
{
	struct sleeper *sl = arg;
	struct rump_timespec ts = { 5, 0 };
	double t0;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		__atomic_store_n(&sl->pid, -1, __ATOMIC_RELEASE);
		return NULL;
	}
	__atomic_store_n(&sl->pid, rump_sys_getpid(), __ATOMIC_RELEASE);
	t0 = h_mono();
	errno = 0;
	sl->rv = rump_sys_nanosleep((void *)&ts, (void *)&sl->left);
	sl->err = errno;
	sl->slept = h_mono() - t0;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* A thread in its own process blocked reading an empty pipe. */
struct pipe_reader {
	volatile int pid;
	int fds[2];
	long long rv;
	int err;
};

static void *
pipe_reader_thread(void *arg)
{
	struct pipe_reader *pr = arg;
	char c;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 || rump_sys_pipe(pr->fds) != 0) {
		__atomic_store_n(&pr->pid, -1, __ATOMIC_RELEASE);
		return NULL;
	}
	__atomic_store_n(&pr->pid, rump_sys_getpid(), __ATOMIC_RELEASE);
	errno = 0;
	pr->rv = rump_sys_read(pr->fds[0], &c, 1);
	pr->err = errno;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
test_pipe_eintr(void)
{
	struct pipe_reader pr;
	pthread_t t;

	memset(&pr, 0, sizeof(pr));
	REQUIRE("pipe reader thread starts",
	    pthread_create(&t, NULL, pipe_reader_thread, &pr) == 0);
	while (__atomic_load_n(&pr.pid, __ATOMIC_ACQUIRE) == 0)
		usleep(1000);
	usleep(200 * 1000);
	CHECK_EQ("kill(reader, SIGUSR2) returns 0", rump_sys_kill(pr.pid, NB_SIGUSR2), 0);
	pthread_join(t, NULL);
	CHECK_EQ("a read blocked on an empty pipe, woken by kill, returns -1", pr.rv, -1);
	CHECK_EQ("... with errno EINTR (4)", pr.err, RUMP_EINTR);
}

static void
test_eintr(void)
{
	struct sleeper sl;
	pthread_t t;

	memset(&sl, 0, sizeof(sl));
	REQUIRE("sleeper thread starts", pthread_create(&t, NULL, sleeper_thread, &sl) == 0);
	while (__atomic_load_n(&sl.pid, __ATOMIC_ACQUIRE) == 0)
		usleep(1000);
	usleep(200 * 1000);
	CHECK_EQ("kill(sleeper, SIGUSR1) from another thread returns 0",
	    rump_sys_kill(sl.pid, NB_SIGUSR1), 0);
	pthread_join(t, NULL);
	CHECK_EQ("nanosleep(5 s) woken by kill returns -1", sl.rv, -1);
	CHECK_EQ("nanosleep woken by kill: errno EINTR (4)", sl.err, RUMP_EINTR);
	CHECK_RANGE("nanosleep woken by kill ends within 2 s (ms)",
	    (long long)(sl.slept * 1000), 0, 2000);
	CHECK_RANGE("nanosleep's rmtp holds the time left (s)",
	    (long long)sl.left.tv_sec, 3, 5);
}

int
main(int argc, char **argv)
{
	struct h_sub r;
	struct nbset s, o;
	struct rump_timespec ts;
	struct lwp *a;
	int pa, pd, fds[2];
	char c = 'x';

	h_begin("70_signals");
	if (H_IS_SUB(argc, argv)) {
		if (strcmp(argv[2], "raise") == 0) return sub_raise();
		if (strcmp(argv[2], "ignore") == 0) return sub_ignore();
		if (strcmp(argv[2], "panic") == 0) return sub_panic();
		return 2;
	}

	rump_boot_setsigmodel(RUMP_SIGMODEL_RECORD);
	H_BOOT();

	/* process A: round trips under RECORD */
	REQUIRE("rfork process A", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	a = rump_pub_lwproc_curlwp();
	pa = rump_sys_getpid();
	CHECK_EQ("sigpending: nothing pending in a new process", pending0(0), 0);
	CHECK_EQ("sigprocmask: nothing blocked in a new process", mask0(), 0);
	CHECK_EQ("kill(A, SIGUSR1 30) returns 0", rump_sys_kill(pa, NB_SIGUSR1), 0);
	CHECK_EQ("sigpending: SIGUSR1 pending (bit 29)", pending0(0), 1LL << 29);
	CHECK_EQ("kill(A, 0) returns 0", rump_sys_kill(pa, 0), 0);
	CHECK_EQ("kill(A, 0) posts nothing", pending0(0), 1LL << 29);
	CHECK_ERR("kill(A, 64) fails EINVAL", rump_sys_kill(pa, 64), RUMP_EINVAL);
	CHECK_ERR("kill(A, -1) fails EINVAL", rump_sys_kill(pa, -1), RUMP_EINVAL);
	CHECK_ERR("kill(29999, SIGUSR1) fails ESRCH", rump_sys_kill(29999, NB_SIGUSR1), RUMP_ESRCH);
	CHECK_ERR("kill(-29999, SIGUSR1) (no such group) fails ESRCH",
	    rump_sys_kill(-29999, NB_SIGUSR1), RUMP_ESRCH);
	CHECK_EQ("kill(0, 0) (own group) returns 0", rump_sys_kill(0, 0), 0);
	CHECK_EQ("kill(A, 33) returns 0", rump_sys_kill(pa, 33), 0);
	CHECK_EQ("sigpending: signal 33 is bit 0 of word 1", pending0(1), 1);

	s = nbset_of(NB_SIGUSR2, NB_SIGKILL);
	memset(&o, 0xee, sizeof(o));
	CHECK_EQ("sigprocmask(SIG_BLOCK, {USR2, KILL}) returns 0",
	    rump_sys_sigprocmask(NB_SIG_BLOCK, S(&s), S(&o)), 0);
	CHECK_EQ("sigprocmask: old mask was empty", o.bits[0], 0);
	CHECK_EQ("sigprocmask: SIGKILL cannot be blocked, SIGUSR2 is (bit 30)",
	    mask0(), 1LL << 30);
	CHECK_ERR("sigprocmask(7, set) fails EINVAL",
	    rump_sys_sigprocmask(7, S(&s), NULL), RUMP_EINVAL);
	CHECK_EQ("sigprocmask(7, NULL, oset) returns 0 (how unused)",
	    rump_sys_sigprocmask(7, NULL, S(&o)), 0);
	CHECK_EQ("sigprocmask(7, NULL, oset) gives the mask", o.bits[0], 1LL << 30);
	CHECK_EQ("kill(A, SIGUSR2) returns 0", rump_sys_kill(pa, NB_SIGUSR2), 0);
	CHECK_EQ("sigpending: blocked SIGUSR2 pending too",
	    pending0(0), (1LL << 29) | (1LL << 30));
	s = nbset_of(NB_SIGUSR2, 0);
	CHECK_EQ("sigprocmask(SIG_UNBLOCK, {USR2}) returns 0",
	    rump_sys_sigprocmask(NB_SIG_UNBLOCK, S(&s), NULL), 0);
	CHECK_EQ("sigprocmask: mask empty again", mask0(), 0);
	s = nbset_of(NB_SIGUSR1, NB_SIGPIPE);
	CHECK_EQ("sigprocmask(SIG_SETMASK, {USR1, PIPE}) returns 0",
	    rump_sys_sigprocmask(NB_SIG_SETMASK, S(&s), NULL), 0);
	CHECK_EQ("sigprocmask: mask is {USR1, PIPE}", mask0(), (1LL << 29) | (1LL << 12));

	/* pending but blocked: sleeps are not interrupted ... */
	s = nbset_of(NB_SIGUSR1, NB_SIGUSR2);
	s.bits[1] = 1;
	rump_sys_sigprocmask(NB_SIG_SETMASK, S(&s), NULL);
	ts.tv_sec = 0; ts.tv_nsec = 50 * 1000 * 1000;
	CHECK_EQ("nanosleep with only blocked signals pending returns 0",
	    rump_sys_nanosleep((void *)&ts, NULL), 0);
	/* ... an unblocked pending one interrupts at once */
	s = nbset_of(NB_SIGUSR1, 0);
	rump_sys_sigprocmask(NB_SIG_UNBLOCK, S(&s), NULL);
	ts.tv_sec = 5; ts.tv_nsec = 0;
	CHECK_ERR("nanosleep with SIGUSR1 pending, unblocked, fails EINTR",
	    rump_sys_nanosleep((void *)&ts, NULL), RUMP_EINTR);
	CHECK_EQ("clock_nanosleep with a signal pending returns EINTR (4)",
	    rump_sys_clock_nanosleep(3, 0, (void *)&ts, NULL), RUMP_EINTR);

	/* pollts and pselect sleep with their own mask: pending now are USR1,
	 * USR2 and 33, the process blocks USR2 and 33 */
	CHECK_EQ("sigpending: USR1, USR2 pending", pending0(0), (1LL << 29) | (1LL << 30));
	s = nbset_of(NB_SIGUSR1, NB_SIGUSR2);
	s.bits[1] = 1;
	ts.tv_sec = 0; ts.tv_nsec = 50 * 1000 * 1000;
	CHECK_EQ("pollts with a mask blocking every pending signal times out (0)",
	    rump_sys_pollts(NULL, 0, (void *)&ts, S(&s)), 0);
	CHECK_EQ("pselect with that mask times out (0)",
	    rump_sys_pselect(0, NULL, NULL, NULL, (void *)&ts, S(&s)), 0);
	ts.tv_sec = 5; ts.tv_nsec = 0;
	CHECK_ERR("pollts without a mask: the process's lets USR1 through, EINTR",
	    rump_sys_pollts(NULL, 0, (void *)&ts, NULL), RUMP_EINTR);
	s = nbset_of(NB_SIGUSR1, 0);
	s.bits[1] = 1;
	CHECK_ERR("pselect with a mask of {USR1, 33}: the process-blocked USR2 interrupts, EINTR",
	    rump_sys_pselect(0, NULL, NULL, NULL, (void *)&ts, S(&s)), RUMP_EINTR);
	CHECK_ERR("pollts with the same mask: EINTR",
	    rump_sys_pollts(NULL, 0, (void *)&ts, S(&s)), RUMP_EINTR);
	CHECK_EQ("the process's mask is {USR2} again afterwards", mask0(), 1LL << 30);
	CHECK_EQ("and the signals stay pending (RECORD)", pending0(0), (1LL << 29) | (1LL << 30));

	/* EVFILT_SIGNAL counts the posts of its signal, clearing on report
	 * (zero timeouts: an unblocked signal is pending, a sleep would be
	 * interrupted) */
	{
		struct nb_kevent ev[4];
		int kq = rump_sys_kqueue();

		REQUIRE("kqueue", kq >= 0);
		CHECK_EQ("EV_ADD an EVFILT_SIGNAL knote for SIGUSR1",
		    change(kq, NB_SIGUSR1, NB_EVFILT_SIGNAL, NB_EV_ADD, 7), 0);
		CHECK_EQ("nothing yet", kev(kq, NULL, 0, ev, 4, 0), 0);
		rump_sys_kill(pa, NB_SIGUSR1);
		rump_sys_kill(pa, NB_SIGUSR1);
		rump_sys_kill(pa, NB_SIGUSR2);
		rump_sys_kill(pa, 0);
		memset(ev, 0, sizeof(ev));
		CHECK_EQ("after kill USR1, USR1, USR2, 0: one event", kev(kq, NULL, 0, ev, 4, 0), 1);
		CHECK_EQ("... ident SIGUSR1", ev[0].ident, NB_SIGUSR1);
		CHECK_EQ("... filter EVFILT_SIGNAL (5)", ev[0].filter, NB_EVFILT_SIGNAL);
		CHECK_EQ("... flags EV_ADD|EV_CLEAR", ev[0].flags, NB_EV_ADD | NB_EV_CLEAR);
		CHECK_EQ("... data: 2 posts", ev[0].data, 2);
		CHECK_EQ("... udata", ev[0].udata, 7);
		CHECK_EQ("reported, so cleared", kev(kq, NULL, 0, ev, 4, 0), 0);
		CHECK_EQ("EV_DELETE it", change(kq, NB_SIGUSR1, NB_EVFILT_SIGNAL, NB_EV_DELETE, 0), 0);
		rump_sys_kill(pa, NB_SIGUSR1);
		CHECK_EQ("deleted: no event", kev(kq, NULL, 0, ev, 4, 0), 0);
		CHECK_ERR("EV_DELETE again: ENOENT",
		    change(kq, NB_SIGUSR1, NB_EVFILT_SIGNAL, NB_EV_DELETE, 0), RUMP_ENOENT);
		rump_sys_close(kq);
	}

	/* SIGPIPE goes through delivery: pending under RECORD */
	REQUIRE("switch to pid 1", (rump_pub_lwproc_switch(NULL), 1));
	REQUIRE("rfork process E", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	REQUIRE("pipe in E", rump_sys_pipe(fds) == 0);
	rump_sys_close(fds[0]);
	CHECK_ERR("write to a pipe without reader fails EPIPE",
	    rump_sys_write(fds[1], &c, 1), RUMP_EPIPE);
	CHECK_EQ("sigpending: SIGPIPE (bit 12) pending after EPIPE", pending0(0), 1LL << 12);
	rump_sys_close(fds[1]);
	rump_pub_lwproc_releaselwp();

	/* permissions: uid 1000 may not signal root's process */
	REQUIRE("rfork process D", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	pd = rump_sys_getpid();
	REQUIRE("setuid(1000) in D", rump_sys_setuid(1000) == 0);
	CHECK_ERR("uid 1000: kill(root's A, SIGUSR1) fails EPERM",
	    rump_sys_kill(pa, NB_SIGUSR1), RUMP_EPERM);
	CHECK_ERR("uid 1000: kill(root's A, 0) fails EPERM",
	    rump_sys_kill(pa, 0), RUMP_EPERM);
	CHECK_EQ("uid 1000: kill(self, 0) returns 0", rump_sys_kill(pd, 0), 0);
	CHECK_ERR("uid 1000: kill(-1, SIGUSR2) (only root's and self) fails ESRCH",
	    rump_sys_kill(-1, NB_SIGUSR2), RUMP_ESRCH);
	CHECK_EQ("uid 1000: nothing reached D", pending0(0), 0);
	rump_pub_lwproc_releaselwp();
	CHECK_ERR("root: kill(D, 0) fails ESRCH once D is gone",
	    rump_sys_kill(pd, 0), RUMP_ESRCH);
	rump_pub_lwproc_switch(a);
	CHECK_ERR("root in A: kill(29998, 0) fails ESRCH", rump_sys_kill(29998, 0), RUMP_ESRCH);

	/* EINTR: a nanosleep and a pipe read woken by kill from another thread */
	test_eintr();
	test_pipe_eintr();

	/* the other models, each in a fresh kernel */
	h_run_sub("raise", NULL, 20, &r);
	CHECK_SUB_EXIT("RAISE sub-process exits 0", &r, 0);
	h_check_sub_val("RAISE: kill(self, SIGUSR1) returns 0", &r, "kill_usr1", 0, 0);
	h_check_sub_val("RAISE: host handler saw Linux SIGUSR1 (10) once, host 30 never", &r, "usr1_seen", 1, 0);
	h_check_sub_val("RAISE: kill(self, blocked SIGUSR2) returns 0", &r, "kill_usr2", 0, 0);
	h_check_sub_val("RAISE: blocked SIGUSR2 not raised", &r, "usr2_blocked_seen", 0, H_ANY);
	h_check_sub_val("RAISE: blocked SIGUSR2 pending (bit 30)", &r, "pending_blocked", 1LL << 30, H_ANY);
	h_check_sub_val("RAISE: pollts with an empty mask returns 0", &r, "pollts_empty_mask", 0, 0);
	h_check_sub_val("RAISE: ... and raises the pending SIGUSR2 as Linux 12", &r, "usr2_seen_pollts", 1, H_ANY);
	h_check_sub_val("RAISE: ... leaving the mask {USR2}", &r, "mask_after_pollts", 1LL << 30, H_ANY);
	h_check_sub_val("RAISE: ... and nothing pending", &r, "pending_after_pollts", 0, H_ANY);
	h_check_sub_val("RAISE: unblocking returns 0", &r, "unblock", 0, 0);
	h_check_sub_val("RAISE: SIGUSR2 raised once in all", &r, "usr2_seen", 1, H_ANY);
	h_check_sub_val("RAISE: nothing pending after", &r, "pending_after", 0, H_ANY);

	h_run_sub("ignore", NULL, 20, &r);
	CHECK_SUB_EXIT("IGNORE sub-process exits 0", &r, 0);
	h_check_sub_val("IGNORE: kill returns 0", &r, "kill", 0, 0);
	h_check_sub_val("IGNORE: nothing pending", &r, "pending", 0, H_ANY);

	h_run_sub("panic", NULL, 20, &r);
	h_check_sub_val("PANIC: SIGPIPE passes (kill returns 0)", &r, "kill_pipe", 0, 0);
	h_check_sub_val("PANIC: signal 0 passes", &r, "kill_zero", 0, 0);
	CHECK_TRUE("PANIC: SIGUSR1 aborts (SIGABRT)",
	    !r.timed_out && WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGABRT);
	CHECK_TRUE("PANIC: the panic message names the signal",
	    strstr(r.out, "unhandled signal 30") != NULL ||
	    strstr(r.err, "unhandled signal 30") != NULL);
	CHECK_EQ("PANIC: did not survive", h_sub_val(&r, "survived", NULL, NULL), 0);

	return h_end();
}
