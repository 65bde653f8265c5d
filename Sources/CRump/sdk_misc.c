/*
 * The faction SDK's C-shaped parts: kernel memory, the printf family and
 * panic (variadic, so formatted here and handed to the Swift console), and
 * sysctl_createv's variadic MIB.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUMP_FACTION_NO_NAMES	/* the core uses the rumpns_ names */
#include <rump/rump_faction.h>

#include "rump_core.h"

_Atomic(uint64_t) rumpc_kmem_inuse;
uint64_t rumpc_kmem_limit;

static void *
kmem_get(size_t size, km_flag_t flags, int zero)
{
	uint64_t now = atomic_fetch_add(&rumpc_kmem_inuse, size) + size;
	void *p;

	if ((flags & KM_NOSLEEP) && rumpc_kmem_limit != 0 && now > rumpc_kmem_limit) {
		atomic_fetch_sub(&rumpc_kmem_inuse, size);
		return NULL;
	}
	p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (p == NULL) {
		atomic_fetch_sub(&rumpc_kmem_inuse, size);
		if (!(flags & KM_NOSLEEP))
			rumpns_panic("kmem_alloc: out of host memory for %zu bytes", size);
	}
	return p;
}

void *
rumpns_kmem_alloc(size_t size, km_flag_t flags)
{
	return kmem_get(size, flags, 0);
}

void *
rumpns_kmem_zalloc(size_t size, km_flag_t flags)
{
	return kmem_get(size, flags, 1);
}

void
rumpns_kmem_free(void *p, size_t size)
{
	if (p == NULL)
		return;
	atomic_fetch_sub(&rumpc_kmem_inuse, size);
	free(p);
}

static int
vmessage(int level, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return n;
	rumpc_console_message(level, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

int
rumpns_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vmessage(0, fmt, ap);
	va_end(ap);
	return n;
}

void
rumpns_aprint_normal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(1, fmt, ap);
	va_end(ap);
}

void
rumpns_aprint_verbose(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(2, fmt, ap);
	va_end(ap);
}

void
rumpns_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(3, fmt, ap);
	va_end(ap);
	abort();
}

/* Swift side of sysctl_createv (Sysctl/SysctlCreate.swift). */
int rumpc_sysctl_create(const int *mib, int miblen, int type, int flags, const char *name,
    void *data, size_t datalen, int *newnum);

int
rumpns_sysctl_createv(struct sysctllog **log, int cflags, const struct sysctlnode **rnode,
    const struct sysctlnode **cnode, int flags, int type, const char *name,
    const char *desc, void *func, uint64_t qv, void *newp, size_t newlen, ...)
{
	int mib[12], miblen = 0, num, error, i;
	va_list ap;

	(void)log;
	(void)cflags;
	(void)desc;
	(void)func;
	(void)qv;
	if (rnode != NULL && *rnode != NULL) {
		for (i = 0; i < (*rnode)->sysctl_namelen && miblen < 12; i++)
			mib[miblen++] = (*rnode)->sysctl_name_mib[i];
	}
	va_start(ap, newlen);
	for (;;) {
		int n = va_arg(ap, int);

		if (n == CTL_EOL)
			break;
		if (miblen == 12) {
			va_end(ap);
			return 22;	/* EINVAL: too deep */
		}
		mib[miblen++] = n;
	}
	va_end(ap);
	if (miblen == 0)
		return 22;
	error = rumpc_sysctl_create(mib, miblen, type, flags, name, newp, newlen, &num);
	if (error != 0)
		return error;
	if (cnode != NULL) {
		struct sysctlnode *node;

		/* Lives as long as the process, as NetBSD's nodes do. */
		node = malloc(sizeof(*node));
		if (node == NULL) {
			*cnode = NULL;
			return 0;
		}
		mib[miblen - 1] = num;
		node->sysctl_num = num;
		node->sysctl_namelen = miblen;
		memcpy(node->sysctl_name_mib, mib, sizeof(int) * (size_t)miblen);
		*cnode = node;
	}
	return 0;
}
