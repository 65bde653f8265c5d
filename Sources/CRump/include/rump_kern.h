/*
 * rump_kern.h -- the kernel core's callouts and workqueues (Kern/): the
 * layout of the caller-owned callout_t and struct work storage, and the hook
 * that runs due callouts inline when kernel threads are off (RUMP_THREADS=0).
 */
#ifndef RUMP_KERN_H
#define RUMP_KERN_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a callout_t (void *[10], rump_faction.h) holds. */
struct rumpc_callout {
	void	(*func)(void *);
	void	*arg;
	int64_t	when;		/* monotonic ns it fires at, while pending */
	uint64_t order;		/* schedule order: ties fire first-come */
	uint32_t magic;		/* RUMPC_CALLOUT_MAGIC between init and destroy */
	uint32_t flags;		/* RUMPC_CALLOUT_* */
};
#define RUMPC_CALLOUT_MAGIC	0x11deeba1u
/* NetBSD's sys/callout.h values. */
#define RUMPC_CALLOUT_PENDING	0x0002u
#define RUMPC_CALLOUT_FIRED	0x0004u
#define RUMPC_CALLOUT_INVOKING	0x0008u
#define RUMPC_CALLOUT_MPSAFE	0x0100u

/* What a struct work (void *[2]) holds: the queue link and a guard. */
struct rumpc_work {
	void	*next;
	void	*queued;	/* the workqueue it waits on, or NULL */
};

/*
 * With RUMP_THREADS=0: the monotonic time of the earliest pending callout,
 * INT64_MAX if none (always INT64_MAX with kernel threads on).
 */
extern int64_t rumpc_callout_inline_next __attribute__((visibility("hidden")));

static inline bool
rumpc_callout_inline_pending(void)
{
	return __atomic_load_n(&rumpc_callout_inline_next, __ATOMIC_RELAXED) != INT64_MAX;
}

int64_t rumpc_monotonic_ns(void);

/* A pending callout is due now. */
static inline bool
rumpc_callout_inline_due(void)
{
	return __atomic_load_n(&rumpc_callout_inline_next, __ATOMIC_RELAXED) <= rumpc_monotonic_ns();
}

static inline void
rumpc_callout_set_inline_next(int64_t when)
{
	__atomic_store_n(&rumpc_callout_inline_next, when, __ATOMIC_RELAXED);
}

/* sdk_kern.c: the faction's kmutex, for callout_halt's interlock. */
void rumpc_kern_mutex_enter(void *);
void rumpc_kern_mutex_exit(void *);

#ifdef __cplusplus
}
#endif

#endif /* RUMP_KERN_H */
