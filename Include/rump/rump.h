/*
 * rump.h -- the rump kernel core: boot, scheduling and kernel-level calls.
 *
 * A rump kernel runs inside this process.  Call rump_init() once, then make
 * system calls with the rump_sys_* functions of <rump/rump_syscalls.h>.
 * Functions here return 0 or a NetBSD error number (see <rump/rumpdefs.h>)
 * and leave errno alone, unless their comment says otherwise.
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel objects clients handle only by pointer. */
struct lwp;
struct proc;
struct kauth_cred;
struct uio;
struct modinfo;
struct vnode;
struct vattr;
struct mount;
struct componentname;
struct vfsops;
struct fid;

/* Direction of a uio built with rump_pub_uio_setup(). */
enum rump_uiorw { RUMPUIO_READ, RUMPUIO_WRITE };

/* What happens to a signal posted to a rump process. */
enum rump_sigmodel {
	RUMP_SIGMODEL_PANIC,		/* panic, except SIGSYS and SIGPIPE */
	RUMP_SIGMODEL_IGNORE,
	RUMP_SIGMODEL__HOST_NOTANYMORE,	/* compatibility value: acts as RAISE */
	RUMP_SIGMODEL_RAISE,		/* raise it in the host process */
	RUMP_SIGMODEL_RECORD		/* leave it pending in the rump process */
};

/* Kinds of host file mapping (etfs). */
enum rump_etfs_type {
	RUMP_ETFS_REG,
	RUMP_ETFS_BLK,
	RUMP_ETFS_CHR,
	RUMP_ETFS_DIR,
	RUMP_ETFS_DIR_SUBDIRS
};
#define RUMP_ETFS_SIZE_ENDOFF ((uint64_t)-1)

/* A host file mapping queued before rump_init(); eb_status is set by boot. */
struct rump_boot_etfs {
	const char *eb_key;
	const char *eb_hostpath;
	enum rump_etfs_type eb_type;
	uint64_t eb_begin;
	uint64_t eb_size;
	struct rump_boot_etfs *_eb_next;
	int eb_status;
};

/* rump_pub_lwproc_rfork() flags: share, copy or clear the descriptor table. */
#define RUMP_RFFDG	0x01
#define RUMP_RFCFDG	0x02
#define RUMP_RFFD_SHARE	0x00
#define RUMP_RFFD_COPY	RUMP_RFFDG
#define RUMP_RFFD_CLEAR	RUMP_RFCFDG

#define RUMPCN_FREECRED		0x02
#define RUMP_DAEMONIZE_SUCCESS	0

/* Boot-time settings: call before rump_init(). */
int	rump_boot_gethowto(void);
void	rump_boot_sethowto(int);
void	rump_boot_setsigmodel(enum rump_sigmodel);
void	rump_boot_etfs_register(struct rump_boot_etfs *);

/* Enter and leave the kernel on this host thread (for direct kernel calls). */
void	rump_schedule(void);
void	rump_unschedule(void);

/* Print every kernel event counter to stderr. */
void	rump_printevcnts(void);

/* Detach into the background: begin before rump_init(), done after it. */
int	rump_daemonize_begin(void);
int	rump_daemonize_done(int);

/* Boot the kernel; a second call does nothing and returns 0. */
int	rump_init(void);

/*
 * Serve this kernel to librumpclient programs (sysproxy), after rump_init().
 * `url` is "unix://path" (a path relative to the current directory is
 * allowed; the socket is created with the process umask and removed when the
 * kernel halts) or "tcp://a.b.c.d:port".  Each client connection becomes a
 * rump process of its own (pids 2, 3, ...; parent 1; descriptors 0-2 on the
 * console) that ends when the client disconnects.  Returns 0, or EINVAL for a
 * malformed URL, ENAMETOOLONG for a socket path too long, the error of
 * socket/bind/listen, or EBUSY if this process already serves.
 */
int	rump_init_server(const char *url);

/* NetBSD version number of the kernel interface (799003400: 7.99.34). */
int	rump_getversion(void);

/* 1 if the kernel uses the host's native NetBSD ABI (amd64: yes). */
int	rump_nativeabi_p(void);

/*
 * Make system call `num` with NetBSD's argument block `data` of `dlen`
 * bytes; retval receives two return registers.  Returns 0 or a NetBSD
 * errno; unknown or unimplemented numbers give ENOSYS (78).
 */
int	rump_syscall(int num, void *data, size_t dlen, long *retval);

#ifdef __cplusplus
}
#endif

#include <rump/rumpkern_if_pub.h>

#endif /* _RUMP_RUMP_H_ */
