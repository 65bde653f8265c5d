/*
 * rump_component.h -- kernel components in plugins and programs.
 *
 * A component is an init function of a given type that the kernel runs once,
 * in type order, while it boots:
 *
 *	#include <rump/rump_component.h>
 *
 *	RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
 *	{
 *		... runs at rump_init(), after the kernel is up ...
 *	}
 *
 * The macro places a pointer to the component in the ELF section
 * "link_set_rump_components", which rump_init() finds in the program (link it
 * with -rdynamic), in its libraries and in plugins dlopen()ed before it.
 * Define RUMP_USE_CTOR before including this header to register through an
 * ELF constructor calling rump_component_load() instead.  A plugin loaded
 * after rump_init() is attached with rump_faction_load(path), or by calling
 * rump_component_load() itself: its components then run at once.
 *
 * Boot order: KERN, the VFS faction (then VFS), the NET faction (then NET,
 * NET_ROUTE, NET_IF, NET_IFCFG), the DEV faction (then DEV,
 * DEV_AFTERMAINBUS), KERN_VFS, POSTINIT, SYSCALL.  At most one component of
 * each faction type may exist.
 */
#ifndef _RUMP_RUMP_COMPONENT_H_
#define _RUMP_RUMP_COMPONENT_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rump_component_type {
	RUMP_COMPONENT_DEV,
	RUMP_COMPONENT_DEV_AFTERMAINBUS,
	RUMP_COMPONENT_NET,
	RUMP_COMPONENT_NET_ROUTE,
	RUMP_COMPONENT_NET_IF,
	RUMP_COMPONENT_NET_IFCFG,
	RUMP_COMPONENT_VFS,
	RUMP_COMPONENT_KERN,
	RUMP_COMPONENT_KERN_VFS,
	RUMP_COMPONENT_POSTINIT,
	RUMP_COMPONENT_SYSCALL,

	RUMP__FACTION_DEV,
	RUMP__FACTION_VFS,
	RUMP__FACTION_NET,

	RUMP_COMPONENT_MAX
};

/* The layout existing components were built with (32 bytes on LP64). */
struct rump_component {
	enum rump_component_type rc_type;
	void (*rc_init)(void);
	struct {
		struct rump_component *le_next;
		struct rump_component **le_prev;
	} rc_entries;
};

/* Queue a component (before boot) or run it at once (after); duplicates are ignored. */
void	rump_component_load(const struct rump_component *);
void	rump_component_unload(struct rump_component *);
/* Components of a type seen so far, and running (then dropping) them. */
int	rump_component_count(enum rump_component_type);
void	rump_component_init(enum rump_component_type);

/*
 * dlopen() a plugin after rump_init() and run its components.  Returns 0,
 * or a NetBSD errno: ENOENT (no such file), ENOEXEC (not a loadable object,
 * or no component in it), EEXIST (a second component of a faction type).
 * The reason is also printed on stderr.
 */
int	rump_faction_load(const char *path);

/*
 * System call handlers.  A plugin may supply a system call by exporting
 *	int rumpns_sys_<name>(struct lwp *l, const void *args, long *retval)
 * where <name> is the NetBSD kernel name (rumpns_sys_read,
 * rumpns_sys___stat50) and args is NetBSD's argument block (one 8-byte slot
 * per argument); or, with the call's natural C arguments,
 *	int rumpns_systyped_<name>(struct lwp *l, <arguments>, long *retval)
 * (called through libffi).  The kernel binds them after component init and
 * after rump_faction_load().  Return 0 or a NetBSD errno; retval[0] and
 * retval[1] are the return registers.  A SYSCALL component may also install
 * handlers directly, at any number below 512 (new system calls included).
 */
struct lwp;
typedef int (*rump_syscall_handler_t)(struct lwp *, const void *, long *);
struct rump_onesyscall {
	int ros_num;
	rump_syscall_handler_t ros_handler;
};
void	rump_syscall_boot_establish(const struct rump_onesyscall *, size_t);

#if defined(__has_attribute)
#if __has_attribute(retain)
#define __RUMP_RETAIN __attribute__((retain))
#endif
#endif
#ifndef __RUMP_RETAIN
#define __RUMP_RETAIN
#endif

#ifdef RUMP_USE_CTOR
#define __RUMP_COMPONENT_REGISTER(type)					\
static void __attribute__((constructor))				\
rumpcompctor##type(void)						\
{									\
	rump_component_load(&rumpcomp##type);				\
}
#else
/*
 * The linker makes __start_/__stop_ symbols for a section only when
 * something refers to them: refer to them weakly, with default visibility so
 * that the core can find them in this object.
 */
extern const struct rump_component *const __start_link_set_rump_components[]
    __attribute__((weak, visibility("default")));
extern const struct rump_component *const __stop_link_set_rump_components[]
    __attribute__((weak, visibility("default")));
#define __RUMP_COMPONENT_REGISTER(type)					\
static const struct rump_component *const rumpcompptr##type		\
    __attribute__((section("link_set_rump_components"), used)) __RUMP_RETAIN \
    = &rumpcomp##type;							\
__attribute__((used)) __RUMP_RETAIN static const void *const		\
    rumpcompbounds##type[2] = {						\
	(const void *)__start_link_set_rump_components,			\
	(const void *)__stop_link_set_rump_components			\
};
#endif

#define RUMP_COMPONENT(type)						\
static void rumpcompinit##type(void);					\
static struct rump_component rumpcomp##type = {			\
	type, rumpcompinit##type, { 0, 0 }				\
};									\
__RUMP_COMPONENT_REGISTER(type)						\
static void rumpcompinit##type(void)

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_COMPONENT_H_ */
