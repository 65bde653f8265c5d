/* System call handlers for Benchmarks/rebind.c: one fixed-convention, one typed. */
#include <rump/rump_component.h>

/* getpid, replaced: the same work as the built-in (two return registers). */
int
rumpns_sys_getpid(struct lwp *l, const void *args, long *retval)
{
	(void)l;
	(void)args;
	retval[0] = 77;
	retval[1] = 1;
	return 0;
}

/* getppid as a typed handler: no arguments but the lwp and retval. */
int
rumpns_systyped_getppid(struct lwp *l, long *retval)
{
	(void)l;
	retval[0] = 78;
	return 0;
}

/* rump_faction_load needs a component to accept the plugin. */
RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
{
}
