/*
 * rump_faction.h -- the faction SDK: what plugin code running inside the rump
 * kernel may call.
 *
 * A faction plugin is a shared object that registers components
 * (<rump/rump_component.h>), system call handlers, modules (MODULE() below)
 * and devices.  Code in it runs in kernel context: on a host thread that
 * holds a virtual CPU, as an lwp of some rump process.  The names follow
 * NetBSD's kernel interfaces, so small NetBSD kernel code ports with few
 * changes; each is exported as rumpns_<name> and mapped by a macro here
 * (define RUMP_FACTION_NO_NAMES to use the rumpns_ names only).
 *
 * Errors are NetBSD errno numbers (<rump/rumpdefs.h>).  Blocking calls
 * (mutex_enter on a held mutex, cv_wait, rw_enter) give up the virtual CPU
 * while they wait, so other threads keep running in the kernel.
 */
#ifndef _RUMP_RUMP_FACTION_H_
#define _RUMP_RUMP_FACTION_H_

#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#include <rump/rump_component.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lwp;
struct proc;
struct kauth_cred;
struct uio;
typedef struct lwp lwp_t;
typedef struct kauth_cred *kauth_cred_t;

/* ---- memory ------------------------------------------------------ */

typedef unsigned int km_flag_t;
#define KM_SLEEP	0x00000001	/* wait for memory: never fails */
#define KM_NOSLEEP	0x00000002	/* fail (NULL) past RUMP_MEMLIMIT */

void	*rumpns_kmem_alloc(size_t, km_flag_t);
void	*rumpns_kmem_zalloc(size_t, km_flag_t);
void	rumpns_kmem_free(void *, size_t);

/* ---- locks and condition variables -------------------------------- */

typedef struct kmutex { pthread_mutex_t km_mtx; pthread_t km_owner; int km_held; } kmutex_t;
typedef struct krwlock { pthread_rwlock_t krw_lock; pthread_t krw_writer; int krw_wheld; } krwlock_t;
typedef struct kcondvar { pthread_cond_t kcv_cond; const char *kcv_name; } kcondvar_t;
typedef enum { MUTEX_DEFAULT = 0, MUTEX_SPIN = 1, MUTEX_ADAPTIVE = 2 } kmutex_type_t;
typedef enum { RW_READER = 0, RW_WRITER = 1 } krw_t;
#define IPL_NONE	0
#define IPL_SOFTCLOCK	1
#define IPL_VM		6
#define IPL_SCHED	7
#define IPL_HIGH	8

void	rumpns_mutex_init(kmutex_t *, kmutex_type_t, int ipl);
void	rumpns_mutex_destroy(kmutex_t *);
void	rumpns_mutex_enter(kmutex_t *);
int	rumpns_mutex_tryenter(kmutex_t *);	/* 1 if taken */
void	rumpns_mutex_exit(kmutex_t *);
int	rumpns_mutex_owned(kmutex_t *);		/* 1 if this thread holds it */

void	rumpns_rw_init(krwlock_t *);
void	rumpns_rw_destroy(krwlock_t *);
void	rumpns_rw_enter(krwlock_t *, krw_t);
int	rumpns_rw_tryenter(krwlock_t *, krw_t);
void	rumpns_rw_exit(krwlock_t *);
int	rumpns_rw_write_held(krwlock_t *);

/* Ticks are 1/hz seconds; hz is 100. */
#define RUMP_HZ 100
void	rumpns_cv_init(kcondvar_t *, const char *name);
void	rumpns_cv_destroy(kcondvar_t *);
void	rumpns_cv_wait(kcondvar_t *, kmutex_t *);
int	rumpns_cv_timedwait(kcondvar_t *, kmutex_t *, int ticks);	/* 0 or EWOULDBLOCK (35) */
void	rumpns_cv_signal(kcondvar_t *);
void	rumpns_cv_broadcast(kcondvar_t *);

/* ---- the caller: lwp, process, credentials ------------------------ */

struct lwp	*rumpns_curlwp(void);
struct proc	*rumpns_curproc(void);
pid_t	rumpns_proc_pid(struct proc *);
int	rumpns_lwp_lid(struct lwp *);

kauth_cred_t rumpns_kauth_cred_get(void);	/* the caller's, valid during the call */
uid_t	rumpns_kauth_cred_getuid(kauth_cred_t);
uid_t	rumpns_kauth_cred_geteuid(kauth_cred_t);
gid_t	rumpns_kauth_cred_getgid(kauth_cred_t);
gid_t	rumpns_kauth_cred_getegid(kauth_cred_t);
/* 0 if cred is in group gid (effective or supplementary), else ... see below */
int	rumpns_kauth_cred_ismember_gid(kauth_cred_t, gid_t, int *resultp);
/* Privilege checks: 0 if allowed, else EPERM. */
#define KAUTH_GENERIC_ISSUSER 1
int	rumpns_kauth_authorize_generic(kauth_cred_t, int action, void *cookie);

/* ---- moving data between the caller and the kernel ---------------- */

int	rumpns_copyin(const void *uaddr, void *kaddr, size_t len);
int	rumpns_copyout(const void *kaddr, void *uaddr, size_t len);
int	rumpns_copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done);
int	rumpns_copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done);
/* Move up to n bytes between buf and a uio (device read/write). */
int	rumpns_uiomove(void *buf, size_t n, struct uio *);
size_t	rumpns_uio_resid(struct uio *);

/* ---- messages ----------------------------------------------------- */

/* Kernel output: printf always reaches the console (host stdout); aprint_normal
 * unless the kernel boots silent (the default); aprint_verbose only with
 * RUMP_VERBOSE.  Every message is kept in the kernel message buffer. */
int	rumpns_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	rumpns_aprint_normal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	rumpns_aprint_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "panic: <message>" and abort the process. */
void	rumpns_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* ---- kernel threads ------------------------------------------------ */

typedef int pri_t;
#define PRI_NONE	(-1)
#define KTHREAD_MPSAFE	0x02
#define KTHREAD_MUSTJOIN 0x10
/* A host thread running func(arg) as a new lwp of the kernel's process. */
int	rumpns_kthread_create(pri_t, int flags, void *ci, void (*func)(void *), void *arg,
	    lwp_t **newlp, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void	rumpns_kthread_exit(int ecode) __attribute__((noreturn));
int	rumpns_kthread_join(lwp_t *);		/* KTHREAD_MUSTJOIN threads only */

/* ---- callouts (callout(9)) ----------------------------------------- */

/*
 * A callout runs func(arg) once, ticks (1/hz s) from callout_reset or
 * callout_schedule (ticks <= 0: the next tick).  Handlers run one at a time
 * on the kernel's callout thread, an lwp of pid 0 holding a virtual CPU;
 * a handler never runs concurrently with itself and may reschedule its own
 * callout.  With RUMP_THREADS=0 there is no callout thread: a due callout
 * runs on the next thread that leaves the kernel (rump_unschedule, the end
 * of a system call), as that thread's lwp -- so nothing fires while no
 * thread calls into the kernel.  callout_t is caller storage.
 */
typedef struct callout { void *_c_store[10]; } callout_t;
struct cpu_info;
#define CALLOUT_MPSAFE	0x0100
void	rumpns_callout_init(callout_t *, unsigned int flags);
void	rumpns_callout_destroy(callout_t *);	/* must not be pending or running */
void	rumpns_callout_setfunc(callout_t *, void (*func)(void *), void *arg);
void	rumpns_callout_reset(callout_t *, int ticks, void (*func)(void *), void *arg);
void	rumpns_callout_schedule(callout_t *, int ticks);	/* re-arms if pending */
/* Cancel; true if it had fired since last scheduled (handler ran or runs:
 * callout_stop does not wait for it, callout_halt does, dropping the
 * kmutex_t interlock, if not NULL, while it waits). */
int	rumpns_callout_stop(callout_t *);
int	rumpns_callout_halt(callout_t *, void *interlock);
int	rumpns_callout_pending(callout_t *);	/* scheduled, not yet fired */
int	rumpns_callout_expired(callout_t *);	/* fired since last scheduled */
int	rumpns_callout_active(callout_t *);	/* pending or expired */
int	rumpns_callout_invoking(callout_t *);	/* fired and not yet acked */
void	rumpns_callout_ack(callout_t *);	/* clear invoking */
void	rumpns_callout_bind(callout_t *, struct cpu_info *);	/* accepted, no effect */

/* ---- workqueues (workqueue(9)) ------------------------------------- */

/*
 * A workqueue runs func(wk, arg) for each enqueued struct work, in enqueue
 * order, on its own kernel thread (WQ_PERCPU is accepted and still uses one
 * worker; pri and ipl are ignored).  A work must not be enqueued again
 * before its func has begun: that is reported on the console and ignored.
 * workqueue_destroy runs the work already queued, then ends the thread.
 * With RUMP_THREADS=0 workqueue_create fails with EOPNOTSUPP (45).
 */
struct work { void *_wk_store[2]; };
struct workqueue;
#define WQ_MPSAFE	0x01
#define WQ_PERCPU	0x02
int	rumpns_workqueue_create(struct workqueue **, const char *name,
	    void (*func)(struct work *, void *), void *arg, pri_t, int ipl, int flags);
void	rumpns_workqueue_enqueue(struct workqueue *, struct work *, struct cpu_info *);
void	rumpns_workqueue_destroy(struct workqueue *);

/* ---- sysctl ------------------------------------------------------- */

#define CTLTYPE_NODE	1
#define CTLTYPE_INT	2
#define CTLTYPE_STRING	3
#define CTLTYPE_QUAD	4
#define CTLTYPE_STRUCT	5
#define CTLTYPE_BOOL	6
#define CTLFLAG_READONLY	0x00000000
#define CTLFLAG_READWRITE	0x00000070
#define CTLFLAG_PERMANENT	0x00000200
#define CTL_EOL		(-1)
#define CTL_CREATE	(-3)
#define SYSCTL_DESCR(s)	s

/* What sysctl_createv hands back: the new node's number and full name. */
struct sysctlnode {
	int	sysctl_num;
	int	sysctl_namelen;		/* components in sysctl_name_mib */
	int	sysctl_name_mib[12];
};
struct sysctllog;

/*
 * Add a node under the MIB given by rnode (or NULL) followed by the numbers
 * in the variable arguments up to CTL_EOL; the last number is the new node's
 * (CTL_CREATE picks a free one).  CTLTYPE_INT/QUAD/BOOL/STRING nodes read
 * and (with CTLFLAG_READWRITE, by root) write the variable at newp, of
 * newlen bytes for strings.  func, qv and the log are accepted and ignored.
 * Returns 0 or EEXIST, ENOENT (no such parent), EINVAL.
 */
int	rumpns_sysctl_createv(struct sysctllog **, int cflags, const struct sysctlnode **rnode,
	    const struct sysctlnode **cnode, int flags, int type, const char *name,
	    const char *desc, void *func, uint64_t qv, void *newp, size_t newlen, ...);

/* ---- modules ------------------------------------------------------ */

typedef enum {
	MODULE_CLASS_ANY, MODULE_CLASS_MISC, MODULE_CLASS_VFS, MODULE_CLASS_DRIVER,
	MODULE_CLASS_EXEC, MODULE_CLASS_SECMODEL, MODULE_CLASS_BUFQ
} modclass_t;
typedef enum {
	MODULE_CMD_INIT, MODULE_CMD_FINI, MODULE_CMD_STAT, MODULE_CMD_AUTOLOAD,
	MODULE_CMD_AUTOUNLOAD
} modcmd_t;

/* NetBSD's struct modinfo, as existing module objects lay it out. */
typedef struct modinfo {
	unsigned int	mi_version;
	modclass_t	mi_class;
	int		(*mi_modcmd)(modcmd_t, void *);
	const char	*mi_name;
	const char	*mi_required;	/* comma-separated module names, or NULL */
} modinfo_t;

extern const struct modinfo *const __start_link_set_modules[]
    __attribute__((weak, visibility("default")));
extern const struct modinfo *const __stop_link_set_modules[]
    __attribute__((weak, visibility("default")));

/*
 * MODULE(class, name, required) declares name_modcmd(modcmd_t, void *) and
 * registers the module; the kernel initialises it at boot (after the modules
 * it requires), or when loaded with modctl(MODCTL_LOAD) or
 * rump_pub_module_init().
 */
#define MODULE(class, name, required)					\
static int name##_modcmd(modcmd_t, void *);				\
static const modinfo_t name##_modinfo = {				\
	799003400, (class), name##_modcmd, #name, (required)		\
};									\
static const modinfo_t *const name##_modinfo_ptr			\
    __attribute__((section("link_set_modules"), used)) __RUMP_RETAIN	\
    = &name##_modinfo;							\
__attribute__((used)) __RUMP_RETAIN static const void *const		\
    name##_modinfo_bounds[2] = {					\
	(const void *)__start_link_set_modules,				\
	(const void *)__stop_link_set_modules				\
}

/* ---- character devices --------------------------------------------- */

typedef int32_t devmajor_t;
typedef int32_t devminor_t;
#define NODEVMAJOR	(-1)
#define rumpns_makedev(maj, min) \
	((dev_t)((((uint64_t)(maj) << 8) & 0x000fff00ULL) | \
	(((uint64_t)(min) << 12) & 0xfff00000ULL) | ((uint64_t)(min) & 0xffULL)))
#define rumpns_major(d)	((devmajor_t)(((uint64_t)(d) & 0x000fff00ULL) >> 8))
#define rumpns_minor(d)	((devminor_t)((((uint64_t)(d) & 0xfff00000ULL) >> 12) | \
	((uint64_t)(d) & 0xffULL)))

/* A character device's operations (NetBSD's struct cdevsw, the parts kept). */
struct cdevsw {
	int	(*d_open)(dev_t, int flag, int devtype, struct lwp *);
	int	(*d_close)(dev_t, int flag, int devtype, struct lwp *);
	int	(*d_read)(dev_t, struct uio *, int flag);
	int	(*d_write)(dev_t, struct uio *, int flag);
	int	(*d_ioctl)(dev_t, unsigned long cmd, void *data, int flag, struct lwp *);
	int	(*d_poll)(dev_t, int events, struct lwp *);
	int	d_flag;
};
#define D_OTHER	0

/*
 * Register a character device under *cmajor (NODEVMAJOR: pick a free
 * number, returned in *cmajor).  bdev must be NULL (no block devices).
 * EEXIST if the name or major is taken.
 */
int	rumpns_devsw_attach(const char *name, const void *bdev, devmajor_t *bmajor,
	    const struct cdevsw *cdev, devmajor_t *cmajor);
int	rumpns_devsw_detach(const void *bdev, const struct cdevsw *cdev);
/* Make the node /dev/<name> for a device (needs the VFS faction; ENOSYS without). */
int	rump_dev_makenode(const char *name, devmajor_t major, devminor_t minor, mode_t mode);

#ifndef RUMP_FACTION_NO_NAMES
/* Kernel meanings win over <sys/sysmacros.h>'s. */
#undef major
#undef minor
#undef makedev
#define kmem_alloc		rumpns_kmem_alloc
#define kmem_zalloc		rumpns_kmem_zalloc
#define kmem_free		rumpns_kmem_free
#define mutex_init		rumpns_mutex_init
#define mutex_destroy		rumpns_mutex_destroy
#define mutex_enter		rumpns_mutex_enter
#define mutex_tryenter		rumpns_mutex_tryenter
#define mutex_exit		rumpns_mutex_exit
#define mutex_owned		rumpns_mutex_owned
#define rw_init			rumpns_rw_init
#define rw_destroy		rumpns_rw_destroy
#define rw_enter		rumpns_rw_enter
#define rw_tryenter		rumpns_rw_tryenter
#define rw_exit			rumpns_rw_exit
#define rw_write_held		rumpns_rw_write_held
#define cv_init			rumpns_cv_init
#define cv_destroy		rumpns_cv_destroy
#define cv_wait			rumpns_cv_wait
#define cv_timedwait		rumpns_cv_timedwait
#define cv_signal		rumpns_cv_signal
#define cv_broadcast		rumpns_cv_broadcast
#define curlwp			rumpns_curlwp()
#define curproc			rumpns_curproc()
#define kauth_cred_get		rumpns_kauth_cred_get
#define kauth_cred_getuid	rumpns_kauth_cred_getuid
#define kauth_cred_geteuid	rumpns_kauth_cred_geteuid
#define kauth_cred_getgid	rumpns_kauth_cred_getgid
#define kauth_cred_getegid	rumpns_kauth_cred_getegid
#define kauth_cred_ismember_gid	rumpns_kauth_cred_ismember_gid
#define kauth_authorize_generic	rumpns_kauth_authorize_generic
#define copyin			rumpns_copyin
#define copyout			rumpns_copyout
#define copyinstr		rumpns_copyinstr
#define copyoutstr		rumpns_copyoutstr
#define uiomove			rumpns_uiomove
#define printf			rumpns_printf
#define aprint_normal		rumpns_aprint_normal
#define aprint_verbose		rumpns_aprint_verbose
#define panic			rumpns_panic
#define kthread_create		rumpns_kthread_create
#define kthread_exit		rumpns_kthread_exit
#define kthread_join		rumpns_kthread_join
#define callout_init		rumpns_callout_init
#define callout_destroy		rumpns_callout_destroy
#define callout_setfunc		rumpns_callout_setfunc
#define callout_reset		rumpns_callout_reset
#define callout_schedule	rumpns_callout_schedule
#define callout_stop		rumpns_callout_stop
#define callout_halt		rumpns_callout_halt
#define callout_pending		rumpns_callout_pending
#define callout_expired		rumpns_callout_expired
#define callout_active		rumpns_callout_active
#define callout_invoking	rumpns_callout_invoking
#define callout_ack		rumpns_callout_ack
#define callout_bind		rumpns_callout_bind
#define workqueue_create	rumpns_workqueue_create
#define workqueue_enqueue	rumpns_workqueue_enqueue
#define workqueue_destroy	rumpns_workqueue_destroy
#define sysctl_createv		rumpns_sysctl_createv
#define devsw_attach		rumpns_devsw_attach
#define devsw_detach		rumpns_devsw_detach
#define makedev			rumpns_makedev
#define major			rumpns_major
#define minor			rumpns_minor
#define hz			RUMP_HZ
#endif

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_FACTION_H_ */
