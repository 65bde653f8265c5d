/*
 * The faction SDK's locks and condition variables.  A thread that has to
 * wait gives up its virtual CPU first and takes one again afterwards, so a
 * waiter never keeps others out of the kernel.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#define RUMP_FACTION_NO_NAMES	/* the core uses the rumpns_ names */
#include <rump/rump_faction.h>

#include "rump_core.h"

/* Run a host wait with this thread's virtual CPU released. */
#define WITHOUT_CPU(wait) do {						\
	int held_ = rumpc_cpu_current() >= 0;				\
	rumpc_about_to_sleep();						\
	if (held_)							\
		rumpc_cpu_release();					\
	wait;								\
	if (held_)							\
		rumpc_cpu_claim();					\
} while (0)

void
rumpns_mutex_init(kmutex_t *m, kmutex_type_t type, int ipl)
{
	(void)type;
	(void)ipl;
	pthread_mutex_init(&m->km_mtx, NULL);
	m->km_held = 0;
}

void
rumpns_mutex_destroy(kmutex_t *m)
{
	pthread_mutex_destroy(&m->km_mtx);
}

void
rumpns_mutex_enter(kmutex_t *m)
{
	if (pthread_mutex_trylock(&m->km_mtx) != 0)
		WITHOUT_CPU(pthread_mutex_lock(&m->km_mtx));
	m->km_owner = pthread_self();
	m->km_held = 1;
}

int
rumpns_mutex_tryenter(kmutex_t *m)
{
	if (pthread_mutex_trylock(&m->km_mtx) != 0)
		return 0;
	m->km_owner = pthread_self();
	m->km_held = 1;
	return 1;
}

void
rumpns_mutex_exit(kmutex_t *m)
{
	m->km_held = 0;
	pthread_mutex_unlock(&m->km_mtx);
}

int
rumpns_mutex_owned(kmutex_t *m)
{
	return m->km_held && pthread_equal(m->km_owner, pthread_self());
}

void
rumpns_rw_init(krwlock_t *rw)
{
	pthread_rwlock_init(&rw->krw_lock, NULL);
	rw->krw_wheld = 0;
}

void
rumpns_rw_destroy(krwlock_t *rw)
{
	pthread_rwlock_destroy(&rw->krw_lock);
}

void
rumpns_rw_enter(krwlock_t *rw, krw_t op)
{
	if (op == RW_WRITER) {
		if (pthread_rwlock_trywrlock(&rw->krw_lock) != 0)
			WITHOUT_CPU(pthread_rwlock_wrlock(&rw->krw_lock));
		rw->krw_writer = pthread_self();
		rw->krw_wheld = 1;
	} else if (pthread_rwlock_tryrdlock(&rw->krw_lock) != 0) {
		WITHOUT_CPU(pthread_rwlock_rdlock(&rw->krw_lock));
	}
}

int
rumpns_rw_tryenter(krwlock_t *rw, krw_t op)
{
	if (op == RW_WRITER) {
		if (pthread_rwlock_trywrlock(&rw->krw_lock) != 0)
			return 0;
		rw->krw_writer = pthread_self();
		rw->krw_wheld = 1;
		return 1;
	}
	return pthread_rwlock_tryrdlock(&rw->krw_lock) == 0;
}

void
rumpns_rw_exit(krwlock_t *rw)
{
	if (rw->krw_wheld && pthread_equal(rw->krw_writer, pthread_self()))
		rw->krw_wheld = 0;
	pthread_rwlock_unlock(&rw->krw_lock);
}

int
rumpns_rw_write_held(krwlock_t *rw)
{
	return rw->krw_wheld;
}

void
rumpns_cv_init(kcondvar_t *cv, const char *name)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cv->kcv_cond, &attr);
	pthread_condattr_destroy(&attr);
	cv->kcv_name = name;
}

void
rumpns_cv_destroy(kcondvar_t *cv)
{
	pthread_cond_destroy(&cv->kcv_cond);
}

void
rumpns_cv_wait(kcondvar_t *cv, kmutex_t *m)
{
	m->km_held = 0;
	WITHOUT_CPU(pthread_cond_wait(&cv->kcv_cond, &m->km_mtx));
	m->km_owner = pthread_self();
	m->km_held = 1;
}

int
rumpns_cv_timedwait(kcondvar_t *cv, kmutex_t *m, int ticks)
{
	struct timespec deadline;
	int rv = 0;

	if (ticks <= 0) {
		rumpns_cv_wait(cv, m);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ticks / RUMP_HZ;
	deadline.tv_nsec += (long)(ticks % RUMP_HZ) * (1000000000L / RUMP_HZ);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	m->km_held = 0;
	WITHOUT_CPU(rv = pthread_cond_timedwait(&cv->kcv_cond, &m->km_mtx, &deadline));
	m->km_owner = pthread_self();
	m->km_held = 1;
	return rv == ETIMEDOUT ? 35 /* EWOULDBLOCK */ : 0;
}

void
rumpns_cv_signal(kcondvar_t *cv)
{
	pthread_cond_signal(&cv->kcv_cond);
}

void
rumpns_cv_broadcast(kcondvar_t *cv)
{
	pthread_cond_broadcast(&cv->kcv_cond);
}
