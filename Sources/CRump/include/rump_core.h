/*
 * Internal interface between the C layer and the Swift kernel core.
 *
 * The state every system call touches lives here, in C storage behind static
 * inline accessors: the system call table, the per-thread kernel context
 * (curlwp and friends, in initial-exec TLS) and the virtual CPUs. Swift code
 * reaches it without exclusivity checks, lazy-global initialisation or ARC.
 *
 * This header is not installed and must stay self-contained (Swift imports it).
 */
#ifndef RUMP_CORE_H
#define RUMP_CORE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* System call table                                                   */

/* NetBSD's SYS_NSYSENT: slots 0 .. 511. */
#define RUMPC_NSYSENT 512

/*
 * A system call handler: the kernel convention shared with faction plugins.
 * `lwp` is the calling lwp (opaque), `args` NetBSD's struct sys_X_args,
 * `retval` two register_t slots. Returns 0 or a NetBSD errno.
 */
typedef int (*rumpc_syscall_fn)(void *lwp, const void *args, long *retval);

/* A handler with a natural C signature, called through libffi (typed.c). */
struct rumpc_typed;

struct rumpc_sysent {
	rumpc_syscall_fn call;		/* kernel-convention handler, or NULL */
	struct rumpc_typed *typed;	/* else a typed handler, or NULL: ENOSYS */
	uint32_t argsize;		/* bytes of struct sys_X_args */
	uint32_t spare;
};

extern struct rumpc_sysent rumpc_sysent_table[RUMPC_NSYSENT];
/* The kernel's own handlers, without those plugins bound by name: the table
 * of processes that called rump_pub_lwproc_sysent_usenative(). */
extern struct rumpc_sysent rumpc_sysent_native[RUMPC_NSYSENT];

static inline struct rumpc_sysent *
rumpc_sysent(int num)
{
	return &rumpc_sysent_table[num];
}

static inline struct rumpc_sysent *
rumpc_sysent_native_entry(int num)
{
	return &rumpc_sysent_native[num];
}

static inline bool
rumpc_sysent_installed(const struct rumpc_sysent *e)
{
	return e->call != NULL || e->typed != NULL;
}

/*
 * Prepare a typed handler: fn(struct lwp *, args..., register_t *retval)
 * returning int, whose arguments are the slots of the argument block
 * described by `kinds`, one character per 8-byte slot: i int32, u uint32,
 * q int64, Q uint64, p pointer, _ a PAD slot (not passed).  NULL if the
 * description is malformed or too long (at most 8 arguments).
 */
struct rumpc_typed *rumpc_typed_prepare(const void *fn, const char *kinds);
void rumpc_typed_free(struct rumpc_typed *);
int rumpc_typed_call(const struct rumpc_typed *, void *lwp, const void *args, long *retval);

/* Run an installed entry. */
static inline int
rumpc_sysent_invoke(const struct rumpc_sysent *e, void *lwp, const void *args, long *retval)
{
	if (__builtin_expect(e->call != NULL, 1))
		return e->call(lwp, args, retval);
	return rumpc_typed_call(e->typed, lwp, args, retval);
}

static inline bool
rumpc_sysnum_valid(int num)
{
	return (unsigned)num < RUMPC_NSYSENT;
}

/* ------------------------------------------------------------------ */
/* Per-thread kernel context                                           */

/*
 * curlwp: the lwp the host thread runs as (NULL: implicit context).
 * implicit: this thread's cached lwp in the default process, used while
 *   curlwp is NULL; freed by a thread-exit destructor.
 * cpu: virtual CPU held, or -1.  lastcpu: where to try first next time.
 * depth: nesting of rump_schedule() on this thread.
 * sp_call: the remote system call this thread serves (sp_server.c), or NULL.
 */
struct rumpc_thread {
	void *curlwp;
	void *implicit;
	struct rumpc_sysent *sysent;	/* NULL: rumpc_sysent_table */
	int cpu;
	int lastcpu;
	int depth;
	struct rumpc_sp_call *sp_call;
};


extern __thread struct rumpc_thread rumpc_thread_tls
    __attribute__((tls_model("initial-exec")));

static inline struct rumpc_thread *
rumpc_thread(void)
{
	return &rumpc_thread_tls;
}

/*
 * A thread serving a remote call may be its connection's reader; before it
 * sleeps in the kernel it hands that role on, or the client's other requests
 * would go unread (sp_server.c).  Every kernel sleep calls this first.
 */
void rumpc_sp_blocking(void);

static inline void
rumpc_about_to_sleep(void)
{
	if (__builtin_expect(rumpc_thread_tls.sp_call != NULL, 0))
		rumpc_sp_blocking();
}

static inline void *
rumpc_curlwp(void)
{
	return rumpc_thread_tls.curlwp;
}

extern int rump_i_know_what_i_am_doing_with_sysents;

/* Run as lwp l, using the native system call table if `native`. */
static inline void
rumpc_set_curlwp(void *l, bool native)
{
	rumpc_thread_tls.curlwp = l;
	rumpc_thread_tls.sysent = native ? rumpc_sysent_native : NULL;
}

/* The entry for `num` in the table this thread's process uses. */
static inline struct rumpc_sysent *
rumpc_sysent_current(int num)
{
	struct rumpc_sysent *t = rumpc_thread_tls.sysent;

	return (t != NULL ? t : rumpc_sysent_table) + num;
}

/* The lwp a call from this thread runs as: curlwp, else the cached implicit one. */
static inline void *
rumpc_runlwp(void)
{
	void *l = rumpc_thread_tls.curlwp;

	return l != NULL ? l : rumpc_thread_tls.implicit;
}

/*
 * Arrange for fn(arg) to run when the calling host thread exits (used to
 * free the thread's implicit lwp).  Returns 0 or a host errno.
 */
int rumpc_thread_exit_hook(void (*fn)(void *), void *arg);

/* ------------------------------------------------------------------ */
/* Virtual CPUs                                                         */

#define RUMPC_MAXCPUS 256

struct rumpc_cpu {
	_Atomic(uintptr_t) owner;	/* 0: free, else the holder's tag */
	uint64_t schedules;		/* event counter, owner only */
} __attribute__((aligned(64)));

extern struct rumpc_cpu rumpc_cpus[RUMPC_MAXCPUS];
extern int rumpc_ncpu;

/*
 * Threads waiting for any CPU.  Read (not written) on every release, so the
 * line stays shared between cores while nobody waits.
 */
struct rumpc_sched_wait {
	_Atomic(uint32_t) waiters;
	_Atomic(uint32_t) seq;		/* futex word: bumped on each wake-up */
} __attribute__((aligned(64)));

extern struct rumpc_sched_wait rumpc_sched_wait;

/*
 * Claim virtual CPU c for this thread if it is free.  The tag only has to
 * be non-zero and distinct per holder; the TLS address is.
 */
static inline bool
rumpc_cpu_tryclaim(int c)
{
	uintptr_t expect = 0;

	if (atomic_compare_exchange_strong_explicit(&rumpc_cpus[c].owner,
	    &expect, (uintptr_t)&rumpc_thread_tls, memory_order_acquire,
	    memory_order_relaxed)) {
		rumpc_thread_tls.cpu = c;
		rumpc_thread_tls.lastcpu = c;
		rumpc_cpus[c].schedules++;
		return true;
	}
	return false;
}

/* Slow paths (sched.c): wait for a CPU, wake a waiter. */
void rumpc_cpu_claim_slow(void);
void rumpc_cpu_wake(void);

/* Take a virtual CPU: the one used last if free, else any, else wait. */
static inline void
rumpc_cpu_claim(void)
{
	if (__builtin_expect(rumpc_cpu_tryclaim(rumpc_thread_tls.lastcpu), 1))
		return;
	rumpc_cpu_claim_slow();
}

/*
 * Give the CPU back.  The release store and the waiter check need no fence
 * between them: a waiter re-checks the owner word in the futex call, and
 * sleeps with a timeout, so a wake-up lost to store reordering costs at most
 * that timeout rather than a hang.
 */
static inline void
rumpc_cpu_release(void)
{
	int c = rumpc_thread_tls.cpu;

	rumpc_thread_tls.cpu = -1;
	atomic_store_explicit(&rumpc_cpus[c].owner, 0, memory_order_release);
	if (__builtin_expect(atomic_load_explicit(&rumpc_sched_wait.waiters,
	    memory_order_relaxed) != 0, 0))
		rumpc_cpu_wake();
}

static inline int
rumpc_cpu_current(void)
{
	return rumpc_thread_tls.cpu;
}

static inline uint64_t
rumpc_cpu_schedules(int c)
{
	return rumpc_cpus[c].schedules;
}

/* ------------------------------------------------------------------ */
/* Public structures the core reads (layouts as in rump.h)             */

struct rumpc_boot_etfs {
	const char *eb_key;
	const char *eb_hostpath;
	int eb_type;
	uint64_t eb_begin;
	uint64_t eb_size;
	struct rumpc_boot_etfs *_eb_next;
	int eb_status;
};

/* struct rump_onesyscall (rump_component.h). */
typedef struct {
	int ros_num;
	rumpc_syscall_fn ros_handler;
} RumpOneSyscallC;

/* The layout of struct rump_component (rump_component.h). */
struct rumpc_component {
	int rc_type;
	void (*rc_init)(void);
	void *rc_next;
	void **rc_prev;
};

/* struct modinfo (rump_faction.h). */
struct rumpc_modinfo {
	unsigned int mi_version;
	int mi_class;
	int (*mi_modcmd)(int cmd, void *arg);
	const char *mi_name;
	const char *mi_required;
};

/* struct cdevsw (rump_faction.h). */
struct rumpc_cdevsw {
	int (*d_open)(uint64_t dev, int flag, int devtype, void *lwp);
	int (*d_close)(uint64_t dev, int flag, int devtype, void *lwp);
	int (*d_read)(uint64_t dev, void *uio, int flag);
	int (*d_write)(uint64_t dev, void *uio, int flag);
	int (*d_ioctl)(uint64_t dev, unsigned long cmd, void *data, int flag, void *lwp);
	int (*d_poll)(uint64_t dev, int events, void *lwp);
	int d_flag;
};

/*
 * Call fn(entry, object) for each entry of the link set `set`
 * ("rump_components", "modules") of every loaded object (handle: NULL for
 * all objects, else only the object dlopen() returned that handle for).
 */
typedef void (*rumpc_linkset_fn)(const void *entry, const char *object);
void rumpc_linkset_walk(const char *set, void *handle, rumpc_linkset_fn fn);

/* Kernel threads (sdk_thread.c): start fn(arg) on a new host thread that
 * runs as lwp, joinable if mustjoin.  Returns 0 or a host errno. */
int rumpc_kthread_spawn(void *lwp, void (*fn)(void *), void *arg, int mustjoin, void **thread);
int rumpc_kthread_wait(void *thread);

/*
 * Call fn(name, address, object, ctx) for every function whose name starts
 * with prefix in the dynamic symbol table of every loaded object but this
 * library itself.
 */
typedef void (*rumpc_symbol_fn)(const char *name, const void *address,
    const char *object, void *ctx);
void rumpc_symbols_walk(const char *prefix, rumpc_symbol_fn fn, void *ctx);

/* The file name of the object that contains addr ("?" if none). */
const char *rumpc_object_name(const void *addr);

/* ------------------------------------------------------------------ */
/* Host helpers Swift cannot call directly                              */

/* errno of the calling thread, read and written from Swift. */
int rumpc_errno_get(void);
void rumpc_errno_set(int e);

/*
 * Kernel messages from C (the faction SDK's printf family), implemented in
 * Swift: level 0 printf, 1 aprint_normal, 2 aprint_verbose, 3 panic.
 */
void rumpc_console_message(int level, const char *text, size_t len);

/* Bytes of kernel memory in use and the limit (0: none), for kmem. */
extern _Atomic(uint64_t) rumpc_kmem_inuse;
extern uint64_t rumpc_kmem_limit;

/* Fixed-format console output (Swift has no varargs entry points). */
void rumpc_write_stderr(const char *buf, size_t len);
void rumpc_write_stdout(const char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* RUMP_CORE_H */
