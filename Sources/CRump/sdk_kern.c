/*
 * Callouts and workqueues (Kern/Callout.swift, Kern/Workqueue.swift): the
 * C parts -- the caller storage's size checks and the kmutex calls that
 * callout_halt makes on its interlock.
 */
#include <stdint.h>

#define RUMP_FACTION_NO_NAMES
#include <rump/rump_faction.h>

#include "rump_kern.h"

_Static_assert(sizeof(struct rumpc_callout) <= sizeof(callout_t), "callout_t too small");
_Static_assert(sizeof(struct rumpc_work) <= sizeof(struct work), "struct work too small");

__attribute__((visibility("hidden"))) int64_t rumpc_callout_inline_next = INT64_MAX;

void
rumpc_kern_mutex_enter(void *m)
{
	rumpns_mutex_enter(m);
}

void
rumpc_kern_mutex_exit(void *m)
{
	rumpns_mutex_exit(m);
}
