/*
 * tsan_mutex.c: make Swift's Synchronization.Mutex visible to ThreadSanitizer.
 *
 * On Linux, Mutex's fast paths (an atomic compare-exchange) are inlined into
 * the kernel's instrumented code, but its contended paths, _lockSlow and
 * _unlockSlow, live in the uninstrumented libswiftSynchronization and hand the
 * lock over through FUTEX_LOCK_PI / FUTEX_UNLOCK_PI: the kernel, not user
 * code, writes the lock word. TSan then sees no happens-before edge between
 * the unlocking and the locking thread and reports a "data race" on every
 * object guarded by a contended Mutex (checked with a 20-line Swift program:
 * four threads updating a Dictionary under one Mutex give dozens of reports).
 *
 * The TSan build links the library with
 *     --wrap=<_lockSlow> --wrap=<_unlockSlow>
 * and this object, so that every contended lock ends with __tsan_acquire and
 * every contended unlock starts with __tsan_release on the lock word's address
 * (the same address the inlined fast paths' atomics synchronise on). Nothing
 * else is changed: the original functions are called as they were.
 *
 * Both are Swift methods of _MutexHandle: swiftcc, `self` (the address of the
 * lock word) in the context register, which is what clang's swift_context
 * parameter attribute denotes.
 */
#include <stdint.h>

#define SC __attribute__((swiftcall))
#define SELF __attribute__((swift_context))

void __tsan_acquire(void *addr);
void __tsan_release(void *addr);

SC void real_lock_slow(uint32_t self_id, SELF void *self)
    __asm__("__real_$s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF");
SC void real_unlock_slow(SELF void *self)
    __asm__("__real_$s15Synchronization12_MutexHandleV11_unlockSlowyyF");

SC void wrap_lock_slow(uint32_t self_id, SELF void *self)
    __asm__("__wrap_$s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF");
SC void wrap_unlock_slow(SELF void *self)
    __asm__("__wrap_$s15Synchronization12_MutexHandleV11_unlockSlowyyF");

SC void
wrap_lock_slow(uint32_t self_id, SELF void *self)
{
	real_lock_slow(self_id, self);
	__tsan_acquire(self);
}

SC void
wrap_unlock_slow(SELF void *self)
{
	__tsan_release(self);
	real_unlock_slow(self);
}
