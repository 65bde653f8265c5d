/*
 * rumpkern_if_pub.h -- kernel interfaces callable from outside the kernel.
 *
 * Each rump_pub_X enters the kernel on the calling host thread, runs X and
 * leaves again.  int results are 0 or a NetBSD error number.
 */
#ifndef _RUMP_RUMPKERN_IF_PUB_H_
#define _RUMP_RUMPKERN_IF_PUB_H_

/* The enums and struct tags below are rump.h's; it includes this file back. */
#include <rump/rump.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A one-segment uio over buf, for direct vnode operations. */
struct uio *rump_pub_uio_setup(void *buf, size_t len, off_t off, enum rump_uiorw rw);
size_t	rump_pub_uio_getresid(struct uio *);
off_t	rump_pub_uio_getoff(struct uio *);
size_t	rump_pub_uio_free(struct uio *);	/* returns the residual count */

/* Credentials: real, effective and saved ids are uid/gid; groups copied. */
struct kauth_cred *rump_pub_cred_create(uid_t, gid_t, size_t ngroups, gid_t *groups);
void	rump_pub_cred_put(struct kauth_cred *);

/*
 * Processes and lwps.  rfork makes a child of the current process with one
 * lwp and switches this thread to it; flags share (0), copy (RUMP_RFFDG) or
 * clear (RUMP_RFCFDG) the descriptor table.  newlwp adds an lwp to process
 * pid and switches to it.  switch(NULL) returns to the implicit context.
 * releaselwp drops the current lwp; a process ends with its last lwp.
 * Misuse (a released or busy lwp, nothing to release) prints a message,
 * sets errno to a NetBSD error number and changes nothing.
 */
int	rump_pub_lwproc_rfork(int flags);
int	rump_pub_lwproc_newlwp(pid_t pid);
void	rump_pub_lwproc_switch(struct lwp *);
void	rump_pub_lwproc_releaselwp(void);
struct lwp *rump_pub_lwproc_curlwp(void);

/*
 * Make the current process use the kernel's own system call handlers, not
 * those plugins bound by name.  Works only when
 * rump_i_know_what_i_am_doing_with_sysents is non-zero (else errno EPERM).
 */
void	rump_pub_lwproc_sysent_usenative(void);
extern int rump_i_know_what_i_am_doing_with_sysents;

/* Overwrite the current lwp's pid and lwp id (for file servers). */
void	rump_pub_allbetsareoff_setid(pid_t pid, int lid);

/* Host files in the rump name space: ENOSYS without the VFS faction. */
int	rump_pub_etfs_register(const char *key, const char *hostpath, enum rump_etfs_type);
int	rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
	    enum rump_etfs_type, uint64_t begin, uint64_t size);
int	rump_pub_etfs_remove(const char *key);

/*
 * Register and initialise modules that are already in memory (say, from a
 * dlopen()ed object's link_set_modules); EEXIST if one is already loaded.
 * fini unloads one: ENOENT if not loaded, EBUSY if another requires it.
 */
int	rump_pub_module_init(const struct modinfo * const *, size_t);
int	rump_pub_module_fini(const struct modinfo *);

/* Hand the kernel a symbol table once; a second call gives EBUSY. */
int	rump_pub_kernelfsym_load(void *symtab, uint64_t symsize, char *strtab,
	    uint64_t strsize);

/* Compatibility name of rump_getversion(). */
int	rump_pub_getversion(void);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPKERN_IF_PUB_H_ */
