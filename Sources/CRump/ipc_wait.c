/*
 * Slow paths of the IPC sleep and wake-up primitives (rump_ipc.h): lock
 * contention, waiting for an event counter, and the host facts they use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rump_core.h"
#include "rump_ipc.h"

/* A contended lock: pause iterations (about 25 ns each) before sleeping. */
#define LOCK_SPINS		400

/*
 * Event waits.  The spin budget adapts between these bounds: a spin that
 * succeeded after t ns pulls the budget towards 4t; a wait that had to
 * sleep but whose waker (on another CPU) came soon after the spin gave up
 * raises it to the maximum; one whose waker came late, or ran on this
 * CPU, halves it.  A cross-CPU futex wake-up costs 20-50 us on a VM, so
 * spinning longer than that never pays.
 */
#define SPIN_DEFAULT_NS		15000
#define SPIN_MIN_NS		4000
#define SPIN_MAX_NS		30000
/* How often to yield to a waker on this CPU before sleeping. */
#define SAME_CPU_YIELDS		3

static inline long
futex(_Atomic(uint32_t) *word, int op, uint32_t val,
    const struct timespec *ts, uint32_t val3)
{
	return syscall(SYS_futex, (uint32_t *)word, op, val, ts, NULL, val3);
}

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

int64_t
rumpc_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
rumpc_coarse_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
rumpc_host_cpu(void)
{
	return sched_getcpu();
}

/* ------------------------------------------------------------------ */

void
rumpc_lock_enter_slow(struct rumpc_lock *l)
{
	uint32_t expect;
	int i;

	for (i = 0; i < LOCK_SPINS; i++) {
		if (atomic_load_explicit(&l->word, memory_order_relaxed) == 0) {
			expect = 0;
			if (atomic_compare_exchange_weak_explicit(&l->word,
			    &expect, 1, memory_order_acquire,
			    memory_order_relaxed))
				return;
		}
		cpu_relax();
	}
	/* Mark the lock contended, so that its release wakes us. */
	if (atomic_exchange_explicit(&l->word, 2, memory_order_acquire) == 0)
		return;
	rumpc_about_to_sleep();
	do
		futex(&l->word, FUTEX_WAIT_PRIVATE, 2, NULL, 0);
	while (atomic_exchange_explicit(&l->word, 2, memory_order_acquire) != 0);
}

void
rumpc_lock_wake(struct rumpc_lock *l)
{
	futex(&l->word, FUTEX_WAKE_PRIVATE, 1, NULL, 0);
}

/* ------------------------------------------------------------------ */

void
rumpc_event_wake(struct rumpc_event *e)
{
	atomic_store_explicit(&e->waker_cpu, sched_getcpu(),
	    memory_order_relaxed);
	atomic_store_explicit(&e->woken_ns, rumpc_monotonic_ns(),
	    memory_order_relaxed);
	futex(&e->seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, 0);
}

void
rumpc_event_signal(struct rumpc_event *e)
{
	if (rumpc_event_bump(e))
		rumpc_event_wake(e);
	else
		atomic_store_explicit(&e->waker_cpu, sched_getcpu(),
		    memory_order_relaxed);
}

static inline bool
moved(struct rumpc_event *e, uint32_t seen)
{
	return atomic_load_explicit(&e->seq, memory_order_acquire) != seen;
}

static inline uint32_t
clamp_spin(int64_t ns)
{
	if (ns < SPIN_MIN_NS)
		return SPIN_MIN_NS;
	if (ns > SPIN_MAX_NS)
		return SPIN_MAX_NS;
	return (uint32_t)ns;
}

/*
 * Spin until the counter moves or `limit` passes.  Returns how long the
 * spin took when the counter moved, -1 otherwise.
 */
static int64_t
spin(struct rumpc_event *e, uint32_t seen, int64_t start, int64_t limit)
{
	int64_t t;
	int k;

	for (;;) {
		for (k = 0; k < 16; k++) {
			if (moved(e, seen))
				return rumpc_monotonic_ns() - start;
			cpu_relax();
		}
		t = rumpc_monotonic_ns();
		if (t >= limit)
			return moved(e, seen) ? t - start : -1;
	}
}

int
rumpc_event_wait(struct rumpc_event *e, uint32_t seen, int peer_cpu,
    int64_t deadline_ns)
{
	struct timespec abs, *absp = NULL;
	int64_t start = -1, t, woke;
	uint32_t budget;
	int result, i, me;
	long rv;

	if (moved(e, seen))
		return RUMPC_WAIT_EVENT;

	me = sched_getcpu();
	if (peer_cpu == RUMPC_PEER_UNKNOWN)
		peer_cpu = atomic_load_explicit(&e->waker_cpu,
		    memory_order_relaxed);
	if (peer_cpu != RUMPC_PEER_NOSPIN) {
		if (peer_cpu >= 0 && peer_cpu == me) {
			/* The waker needs this CPU: spinning would only delay it. */
			for (i = 0; i < SAME_CPU_YIELDS; i++) {
				sched_yield();
				if (moved(e, seen))
					return RUMPC_WAIT_EVENT;
			}
		} else {
			budget = atomic_load_explicit(&e->spin_ns,
			    memory_order_relaxed);
			if (budget == 0)
				budget = SPIN_DEFAULT_NS;
			start = rumpc_monotonic_ns();
			t = start + budget;
			if (deadline_ns >= 0 && deadline_ns < t)
				t = deadline_ns;
			t = spin(e, seen, start, t);
			if (t >= 0) {
				atomic_store_explicit(&e->spin_ns,
				    (budget + clamp_spin(4 * t)) / 2,
				    memory_order_relaxed);
				return RUMPC_WAIT_EVENT;
			}
		}
	}

	if (deadline_ns >= 0) {
		if (rumpc_monotonic_ns() >= deadline_ns)
			return moved(e, seen) ? RUMPC_WAIT_EVENT :
			    RUMPC_WAIT_TIMEDOUT;
		abs.tv_sec = deadline_ns / 1000000000;
		abs.tv_nsec = deadline_ns % 1000000000;
		absp = &abs;
	}

	rumpc_about_to_sleep();
	/* Announce the sleeper, then re-check (pairs with rumpc_event_bump). */
	atomic_fetch_add_explicit(&e->sleepers, 1, memory_order_seq_cst);
	result = RUMPC_WAIT_EVENT;
	while (atomic_load_explicit(&e->seq, memory_order_seq_cst) == seen) {
		/* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time. */
		rv = futex(&e->seq, FUTEX_WAIT_BITSET_PRIVATE, seen, absp,
		    FUTEX_BITSET_MATCH_ANY);
		if (rv == -1 && errno == ETIMEDOUT) {
			if (!moved(e, seen))
				result = RUMPC_WAIT_TIMEDOUT;
			break;
		}
	}
	atomic_fetch_sub_explicit(&e->sleepers, 1, memory_order_relaxed);

	if (start >= 0 && result == RUMPC_WAIT_EVENT) {
		/*
		 * The spin gave up: by a little (spin longer next time) or by
		 * a lot, or for a waker that needed this very CPU (shorter)?
		 */
		woke = atomic_load_explicit(&e->woken_ns,
		    memory_order_relaxed) - start;
		budget = atomic_load_explicit(&e->spin_ns, memory_order_relaxed);
		if (budget == 0)
			budget = SPIN_DEFAULT_NS;
		if (atomic_load_explicit(&e->waker_cpu, memory_order_relaxed) !=
		    me && woke < 2 * SPIN_MAX_NS)
			budget = SPIN_MAX_NS;
		else
			budget = clamp_spin(budget / 2);
		atomic_store_explicit(&e->spin_ns, budget, memory_order_relaxed);
	}
	return result;
}

/* ------------------------------------------------------------------ */

static __thread struct rumpc_event thread_event
    __attribute__((tls_model("initial-exec")));

struct rumpc_event *
rumpc_thread_event(void)
{
	return &thread_event;
}
