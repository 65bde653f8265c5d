/*
 * rumpclient.h -- the remote client library, librumpclient.
 *
 * A program linked with -lrumpclient (pkg-config rumpclient) instead of
 * -lrump has its rump_sys_* calls of <rump/rump_syscalls.h> run by a rump
 * kernel in another process: a server started with rump_init_server() or
 * rump_server, found through the RUMP_SERVER environment variable
 * (unix://path or tcp://a.b.c.d:port).  Each connection is a process of its
 * own in that kernel.  Call rumpclient_init() first.
 *
 * System call results carry NetBSD errno values, as with librump; problems
 * with the connection itself are reported with host errno values (ENOTCONN
 * when the server is gone, and so on).
 */
#ifndef _RUMP_RUMPCLIENT_H_
#define _RUMP_RUMPCLIENT_H_

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Connect to $RUMP_SERVER and become a new process of its kernel (or, in
 * an image started by rumpclient_exec(), go on as the process before the
 * exec).  Returns 0, or -1 with errno set: ENOENT if RUMP_SERVER is unset
 * or names a missing socket, EINVAL if it cannot be parsed, or why the
 * connection failed.  Returns 0 at once if this host process is connected
 * already; after a lost connection or rumpclient_close() it connects anew.
 */
int rumpclient_init(void);

/*
 * Run NetBSD system call `num` in the server with the argument block
 * data[dlen] (NetBSD's struct sys_<name>_args: one 8-byte slot per
 * argument).  The two result words go to retval[0..1] (retval is the
 * reference's register_t *, which is long on Linux).  Returns 0, the call's
 * NetBSD errno, or a host errno such as ENOTCONN when the server cannot be
 * reached.  errno is not changed.
 */
int rumpclient_syscall(int num, const void *data, size_t dlen, long *retval);

/* A fork in progress: the server's cookie for the forked rump process. */
struct rumpclient_fork;

/*
 * First step of a host fork: the server forks this rump process and hands
 * back a cookie for the child.  Returns it, or NULL with errno set.
 */
struct rumpclient_fork *rumpclient_prefork(void);

/*
 * In the host child, after fork(): make a connection of the child's own
 * and take over the rump process that rumpclient_prefork() made.  Returns
 * 0, or -1 with errno set (ESRCH: the server does not know the cookie).
 * The parent keeps its connection.  The cookie stays allocated; after a
 * plain fork() each side may free() it.
 */
int rumpclient_fork_init(struct rumpclient_fork *);

/*
 * The host fork failed: give the server's forked process back and free
 * the cookie.  errno is preserved.
 */
void rumpclient_fork_cancel(struct rumpclient_fork *);

/*
 * In the parent, after a vfork() child ran rumpclient_fork_init() in the
 * parent's memory and has exec'd or exited: make the parent's connection
 * current again, and free the cookie.
 */
void rumpclient_fork_vparent(struct rumpclient_fork *);

/*
 * fork(2) for a rump client: the host child continues as a fork of this
 * rump process, on its own connection.  Returns as fork() does; a child
 * that cannot connect sees -1 with errno set.
 */
pid_t rumpclient_fork(void);

/*
 * execve(2) keeping the rump process: the new image, once it calls
 * rumpclient_init(), goes on as this process of the server's kernel.
 * Returns only on failure: -1 with errno set.
 */
int rumpclient_exec(const char *path, char *const argv[], char *const envp[]);

/*
 * daemon(3) for a rump client: the rump process continues in the
 * detached host child.  Returns 0 in the child, or -1 with errno set.
 */
int rumpclient_daemon(int nochdir, int noclose);

/* Values for rumpclient_setconnretry(), besides a number of seconds. */
#define RUMPCLIENT_RETRYCONN_INFTIME	((time_t)-1)	/* retry for ever */
#define RUMPCLIENT_RETRYCONN_ONCE	((time_t)-2)	/* retry one time */
#define RUMPCLIENT_RETRYCONN_DIE	((time_t)-3)	/* print and _exit(1) */

/*
 * What to do when the connection to the server is lost: 0 (the default)
 * fails calls with ENOTCONN; a number of seconds keeps trying to
 * reconnect for that long; or one of RUMPCLIENT_RETRYCONN_*.  A new
 * connection is a new rump process: descriptors and state of the old one
 * are gone.  The call that found the connection lost is then run again.
 */
void rumpclient_setconnretry(time_t);

/* What the application is about to do to a descriptor. */
enum rumpclient_closevariant {
	RUMPCLIENT_CLOSE_CLOSE,		/* close(fd) */
	RUMPCLIENT_CLOSE_DUP2,		/* dup2(x, fd) */
	RUMPCLIENT_CLOSE_FCLOSEFROM,	/* close every descriptor from fd up */
	/* The reference's name for the same. */
	RUMPCLIENT_CLOSE_FCLOSEM = RUMPCLIENT_CLOSE_FCLOSEFROM
};

/*
 * For system call hijacking libraries: the application is about to do
 * `variant` to *fd.  If that would hit the library's own socket, the socket
 * moves out of the way first; for FCLOSEFROM the descriptors below it are
 * closed here and *fd is advanced past it, for the caller to go on from.
 * Returns 0, or -1 with errno set.
 */
int rumpclient__closenotify(int *fd, enum rumpclient_closevariant variant);

/*
 * Drop the connection: the server ends this rump process, closing its
 * descriptors.  Calls made afterwards fail with ENOTCONN until
 * rumpclient_init() connects again.  Returns 0, or -1 with errno ENOTCONN
 * if there was no connection.
 */
int rumpclient_close(void);

/* How rumpclient__dofork() is declared: inlined into its caller, always. */
#if defined(__GNUC__) || defined(__clang__)
#define RUMPCLIENT__FORKINLINE \
	__attribute__((__always_inline__)) __inline__
#else
#define RUMPCLIENT__FORKINLINE inline
#endif

/*
 * The body of rumpclient_vfork(): prefork, then forkfn(), then the child's
 * connection (the parent restores its own afterwards).  It must run in the
 * caller's stack frame, for vfork()'s sake, so it is always inlined; the
 * child writes childran in the parent's memory, hence volatile.
 */
static RUMPCLIENT__FORKINLINE pid_t
rumpclient__dofork(pid_t (*forkfn)(void))
{
	struct rumpclient_fork *rf;
	volatile int childran = 0;
	pid_t pid;

	if ((rf = rumpclient_prefork()) == NULL)
		return -1;
	switch ((pid = forkfn())) {
	case -1:
		rumpclient_fork_cancel(rf);
		break;
	case 0:
		childran = 1;
		if (rumpclient_fork_init(rf) == -1)
			pid = -1;
		break;
	default:
		if (childran)
			rumpclient_fork_vparent(rf);
		break;
	}
	return pid;
}

/*
 * vfork(2) for a rump client, as a macro so that vfork() runs in the
 * caller's frame.  The child should only call rumpclient_exec() or _exit().
 */
#define rumpclient_vfork() rumpclient__dofork(vfork)

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPCLIENT_H_ */
