/*
 * A plugin that supplies system calls three ways: by name in the kernel
 * convention (replacing getpid, filling socket), by name with natural C
 * arguments through libffi (sendto, six arguments of mixed types), and from a
 * SYSCALL component (a new call at an unused number).
 */
#include <stdint.h>
#include <string.h>
#include <rump/rump_component.h>

#define SYS_NEWCALL 500

/* Replaces the built-in getpid: pid 4242, parent 4141. */
int
rumpns_sys_getpid(struct lwp *l, const void *args, long *retval)
{
	(void)l;
	(void)args;
	retval[0] = 4242;
	retval[1] = 4141;
	return 0;
}

/* Fills socket (ENOSYS without a net faction): returns domain*100 + type. */
int
rumpns_sys___socket30(struct lwp *l, const void *args, long *retval)
{
	const long *slot = args;

	(void)l;
	retval[0] = slot[0] * 100 + slot[1];
	return 0;
}

/*
 * sendto(int s, const void *buf, size_t len, int flags, const struct sockaddr
 * *to, socklen_t tolen) with its natural types: checks every argument
 * arrived intact, then returns len, or EINVAL (22) naming nothing.
 */
int
rumpns_systyped_sendto(struct lwp *l, int s, const void *buf, size_t len, int flags,
    const void *to, unsigned int tolen, long *retval)
{
	(void)l;
	if (s != -7 || len != 5 || memcmp(buf, "hello", 5) != 0 || flags != 0x80 ||
	    to != (const void *)(uintptr_t)0x1234 || tolen != 0xfffffff0u)
		return 22;
	retval[0] = (long)len;
	return 0;
}

static int
newcall(struct lwp *l, const void *args, long *retval)
{
	(void)l;
	retval[0] = args == NULL ? 1 : 2;
	return 0;
}

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{
	static const struct rump_onesyscall calls[] = {
		{ SYS_NEWCALL, newcall },
	};

	rump_syscall_boot_establish(calls, sizeof(calls) / sizeof(calls[0]));
}
