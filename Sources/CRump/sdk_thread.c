/*
 * Kernel threads: the host thread's entry and exit are C, so that
 * kthread_exit() (pthread_exit) only ever unwinds C frames.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define RUMP_FACTION_NO_NAMES
#include <rump/rump_faction.h>

#include "rump_core.h"

/* Swift side (SDK/KernelThreads.swift): bind / unbind this thread and lwp. */
void rumpc_kthread_enter(void *lwp);
void rumpc_kthread_leave(void);

struct start {
	void *lwp;
	void (*fn)(void *);
	void *arg;
};

static void *
kthread_main(void *v)
{
	struct start s = *(struct start *)v;

	free(v);
	rumpc_kthread_enter(s.lwp);
	s.fn(s.arg);
	rumpc_kthread_leave();
	return NULL;
}

int
rumpc_kthread_spawn(void *lwp, void (*fn)(void *), void *arg, int mustjoin, void **thread)
{
	struct start *s = malloc(sizeof(*s));
	pthread_attr_t attr;
	pthread_t *t;
	int error;

	t = malloc(sizeof(*t));
	if (s == NULL || t == NULL) {
		free(s);
		free(t);
		return 12;	/* ENOMEM */
	}
	s->lwp = lwp;
	s->fn = fn;
	s->arg = arg;
	pthread_attr_init(&attr);
	if (!mustjoin)
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = pthread_create(t, &attr, kthread_main, s);
	pthread_attr_destroy(&attr);
	if (error != 0) {
		free(s);
		free(t);
		return error;
	}
	if (mustjoin) {
		*thread = t;
	} else {
		free(t);
		*thread = NULL;
	}
	return 0;
}

int
rumpc_kthread_wait(void *thread)
{
	pthread_t *t = thread;
	int error = pthread_join(*t, NULL);

	free(t);
	return error;
}

void
rumpns_kthread_exit(int ecode)
{
	(void)ecode;
	rumpc_kthread_leave();
	pthread_exit(NULL);
}

/* Swift side: make the lwp and start the thread. */
int rumpc_kthread_create(int flags, void (*func)(void *), void *arg, void **newlp, const char *name);

int
rumpns_kthread_create(pri_t pri, int flags, void *ci, void (*func)(void *), void *arg,
    lwp_t **newlp, const char *fmt, ...)
{
	char name[64] = "";
	va_list ap;

	(void)pri;
	(void)ci;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(name, sizeof(name), fmt, ap);
		va_end(ap);
	}
	return rumpc_kthread_create(flags, func, arg, (void **)newlp, name);
}
