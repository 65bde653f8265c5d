/*
 * Virtual CPU slow paths and per-thread context storage.
 *
 * The fast paths are the inline functions in rump_core.h; this file holds
 * what runs only under contention: scanning for another free CPU, sleeping
 * until one is released, and waking a sleeper.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rump_core.h"

__thread struct rumpc_thread rumpc_thread_tls
    __attribute__((tls_model("initial-exec"))) = {
	.curlwp = NULL, .implicit = NULL, .sysent = NULL, .cpu = -1, .lastcpu = 0, .depth = 0,
};

struct rumpc_cpu rumpc_cpus[RUMPC_MAXCPUS];
int rumpc_ncpu = 1;
struct rumpc_sched_wait rumpc_sched_wait;
struct rumpc_sysent rumpc_sysent_table[RUMPC_NSYSENT];
struct rumpc_sysent rumpc_sysent_native[RUMPC_NSYSENT];

/* rump_pub_lwproc_sysent_usenative() works only when this is non-zero. */
int rump_i_know_what_i_am_doing_with_sysents;

/* A waiter re-checks at least this often, so a lost wake-up only delays. */
#define WAIT_BACKSTOP_NS 2000000L

static int
scan_cpus(void)
{
	int start = rumpc_thread_tls.lastcpu, i;

	for (i = 1; i <= rumpc_ncpu; i++) {
		int c = (start + i) % rumpc_ncpu;

		if (rumpc_cpu_tryclaim(c))
			return 1;
	}
	return 0;
}

void
rumpc_cpu_claim_slow(void)
{
	struct timespec backstop = { 0, WAIT_BACKSTOP_NS };
	int spins;

	if (rumpc_thread_tls.lastcpu >= rumpc_ncpu)
		rumpc_thread_tls.lastcpu = 0;
	/* Holders leave within a system call: a short spin usually wins. */
	for (spins = 0; spins < 64; spins++) {
		if (scan_cpus())
			return;
		__builtin_ia32_pause();
	}
	atomic_fetch_add(&rumpc_sched_wait.waiters, 1);
	for (;;) {
		uint32_t seq = atomic_load(&rumpc_sched_wait.seq);

		if (scan_cpus())
			break;
		syscall(SYS_futex, &rumpc_sched_wait.seq, FUTEX_WAIT_PRIVATE,
		    seq, &backstop, NULL, 0);
	}
	atomic_fetch_sub(&rumpc_sched_wait.waiters, 1);
}

void
rumpc_cpu_wake(void)
{
	atomic_fetch_add(&rumpc_sched_wait.seq, 1);
	syscall(SYS_futex, &rumpc_sched_wait.seq, FUTEX_WAKE_PRIVATE, 1,
	    NULL, NULL, 0);
}

/* ------------------------------------------------------------------ */

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static void (*exit_fn)(void *);

static void
run_exit_hook(void *arg)
{
	void (*fn)(void *) = __atomic_load_n(&exit_fn, __ATOMIC_ACQUIRE);

	if (fn != NULL)
		fn(arg);
}

static void
make_exit_key(void)
{
	(void)pthread_key_create(&exit_key, run_exit_hook);
}

int
rumpc_thread_exit_hook(void (*fn)(void *), void *arg)
{
	pthread_once(&exit_key_once, make_exit_key);
	/* Every thread stores the same function; atomically, as threads race. */
	__atomic_store_n(&exit_fn, fn, __ATOMIC_RELEASE);
	return pthread_setspecific(exit_key, arg);
}

int
rumpc_errno_get(void)
{
	return errno;
}

void
rumpc_errno_set(int e)
{
	errno = e;
}

static void
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

void
rumpc_write_stderr(const char *buf, size_t len)
{
	write_all(2, buf, len);
}

void
rumpc_write_stdout(const char *buf, size_t len)
{
	fflush(stdout);
	write_all(1, buf, len);
}
