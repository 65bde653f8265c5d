/*
 * Sleeping and waking for the IPC subsystem (pipes, poll, select).
 *
 * Two primitives, both futex words in C storage:
 *
 * - struct rumpc_lock: a short-term lock for a kernel object (a pipe).
 *   Holders never sleep while holding it, so a contender spins briefly and
 *   only then sleeps in the host kernel.
 *
 * - struct rumpc_event: a wake-up counter.  A waiter notes `seq` while it
 *   holds the object's lock, drops the lock, and waits for `seq` to move;
 *   a waker changes the object under the lock and bumps `seq`.  Waiting
 *   spins a few microseconds when the expected waker runs on another host
 *   CPU (a cross-CPU futex wake-up costs tens of microseconds on a VM),
 *   yields when it shares this CPU, and sleeps in the host kernel after
 *   that.  Only sleepers cost the waker a system call.
 *
 * The caller releases its virtual CPU around a wait (Scheduler.blocking).
 * This header is not installed and must stay self-contained (Swift imports it).
 */
#ifndef RUMP_IPC_H
#define RUMP_IPC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Short-term lock                                                     */

/* word: 0 free, 1 held, 2 held and someone may sleep on it. */
struct rumpc_lock {
	_Atomic(uint32_t) word;
};

void rumpc_lock_enter_slow(struct rumpc_lock *);
void rumpc_lock_wake(struct rumpc_lock *);

static inline void
rumpc_lock_init(struct rumpc_lock *l)
{
	atomic_init(&l->word, 0);
}

static inline void
rumpc_lock_enter(struct rumpc_lock *l)
{
	uint32_t expect = 0;

	if (__builtin_expect(atomic_compare_exchange_strong_explicit(&l->word,
	    &expect, 1, memory_order_acquire, memory_order_relaxed), 1))
		return;
	rumpc_lock_enter_slow(l);
}

static inline void
rumpc_lock_exit(struct rumpc_lock *l)
{
	if (__builtin_expect(atomic_exchange_explicit(&l->word, 0,
	    memory_order_release) == 2, 0))
		rumpc_lock_wake(l);
}

/* ------------------------------------------------------------------ */
/* Wake-up counter                                                      */

struct rumpc_event {
	_Atomic(uint32_t) seq;		/* futex word: bumped by each wake-up */
	_Atomic(uint32_t) sleepers;	/* waiters inside the host kernel */
	_Atomic(uint32_t) spin_ns;	/* adaptive spin budget, 0: default */
	_Atomic(int32_t) waker_cpu;	/* host CPU of the last signal or wake */
	_Atomic(int64_t) woken_ns;	/* when sleepers were last woken */
};

/* peer_cpu values for rumpc_event_wait besides a host CPU number. */
#define RUMPC_PEER_UNKNOWN	(-1)	/* the CPU that signalled last, if any */
#define RUMPC_PEER_NOSPIN	(-2)	/* go to sleep at once */

/* wait results */
#define RUMPC_WAIT_EVENT	0
#define RUMPC_WAIT_TIMEDOUT	1

static inline void
rumpc_event_init(struct rumpc_event *e)
{
	atomic_init(&e->seq, 0);
	atomic_init(&e->sleepers, 0);
	atomic_init(&e->spin_ns, 0);
	atomic_init(&e->waker_cpu, -1);
	atomic_init(&e->woken_ns, 0);
}

/* The value to wait against; read it under the object's lock. */
static inline uint32_t
rumpc_event_seq(struct rumpc_event *e)
{
	return atomic_load_explicit(&e->seq, memory_order_acquire);
}

/*
 * Bump the counter (usually under the object's lock).  Returns whether a
 * waiter sleeps in the host kernel: then call rumpc_event_wake, preferably
 * after dropping the lock.  The full barrier of the increment orders it
 * before the sleeper check (a sleeper announces itself, then re-reads seq).
 */
static inline bool
rumpc_event_bump(struct rumpc_event *e)
{
	atomic_fetch_add_explicit(&e->seq, 1, memory_order_seq_cst);
	return atomic_load_explicit(&e->sleepers, memory_order_seq_cst) != 0;
}

/* Wake every sleeper (after rumpc_event_bump returned true). */
void rumpc_event_wake(struct rumpc_event *e);

/*
 * Bump and wake in one step, noting the caller's CPU as the waker's (see
 * RUMPC_PEER_UNKNOWN).  For paths that are not hot: poll notifications.
 */
void rumpc_event_signal(struct rumpc_event *e);

/*
 * Wait until e->seq differs from `seen`, or until `deadline_ns`
 * (CLOCK_MONOTONIC; negative: no deadline).  `peer_cpu` is the host CPU the
 * expected waker last ran on, or RUMPC_PEER_*.  Returns RUMPC_WAIT_*.
 */
int rumpc_event_wait(struct rumpc_event *e, uint32_t seen, int peer_cpu,
    int64_t deadline_ns);

/* ------------------------------------------------------------------ */
/* Host facts                                                           */

/* The host CPU the calling thread runs on (cheap: glibc reads rseq). */
int rumpc_host_cpu(void);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t rumpc_monotonic_ns(void);

/* CLOCK_REALTIME_COARSE in nanoseconds (file times). */
int64_t rumpc_coarse_realtime_ns(void);

/*
 * The calling thread's own wake-up counter, for waits on several objects
 * at once (poll, select): objects keep pointers to it while it waits.
 */
struct rumpc_event *rumpc_thread_event(void);

#ifdef __cplusplus
}
#endif

#endif /* RUMP_IPC_H */
