/*
 * clientlib: librumpclient's entry points besides the system calls.
 *
 *   - rumpclient_syscall: the raw call, returning the NetBSD errno;
 *   - rumpclient_prefork + rumpclient_fork_cancel: the prepared child
 *     process goes away again (kern.proc2 counts it);
 *   - rumpclient_vfork + rumpclient_exec: the child image is a rump process
 *     whose parent is ours;
 *   - rumpclient_daemon: the detached process keeps a connection of its own
 *     and can still make calls, though its parent exits at once (the
 *     server keeps the prepared process until the child connects);
 *   - rumpclient__closenotify: closing the descriptor the library's socket
 *     uses leaves the connection working;
 *   - rumpclient_close: calls fail with ENOTCONN until rumpclient_init
 *     connects again, as a new process.
 *
 * usage: clientlib                      (the test)
 *        clientlib --vchild PPID        (the image the vfork child execs)
 */
#include "remote.h"

#include <sys/socket.h>

#define DAEMON_FILE	"/tmp/clientlib-daemon"

/* How many processes the kernel has (kern.proc2, KERN_PROC_ALL). */
static int
nprocs(void)
{
	int mib[6] = { 1, 47, 0, 0, (int)sizeof(struct rump_kinfo_proc2), 0 };
	size_t len = 0;

	if (rump_sys___sysctl(mib, 6, NULL, &len, NULL, 0) == -1)
		return -1;
	mib[5] = (int)(len / sizeof(struct rump_kinfo_proc2));
	{
		struct rump_kinfo_proc2 kp[mib[5] > 0 ? mib[5] : 1];

		len = sizeof(kp);
		if (rump_sys___sysctl(mib, 6, kp, &len, NULL, 0) == -1)
			return -1;
	}
	return (int)(len / sizeof(struct rump_kinfo_proc2));
}

/* Wait up to 5 s for nprocs() to become `want`; returns the last count. */
static int
await_nprocs(int want)
{
	double deadline = h_mono() + 5;
	int n;

	while ((n = nprocs()) != want && h_mono() < deadline)
		usleep(10000);
	return n;
}

/* The library's socket: the one socket descriptor this program has. */
static int
library_socket(void)
{
	struct stat st;
	int fd;

	for (fd = 3; fd < 1024; fd++)
		if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
			return fd;
	return -1;
}

static int
vchild(char **argv)
{
	h_begin("remote-clientlib(vfork child)");
	R_CONNECT();
	CHECK_EQ("the vfork child's parent is the test's process",
	    rump_sys_getppid(), atoi(argv[2]));
	return h_end();
}

static void
t_syscall(void)
{
	long rv[2] = { -1, -1 };

	CHECK_EQ("rumpclient_syscall(getpid) returns 0", rumpclient_syscall(20, NULL, 0, rv), 0);
	CHECK_EQ("... with the pid in retval[0]", rv[0], rump_sys_getpid());
	CHECK_EQ("... and the parent, 1, in retval[1]", rv[1], 1);
	CHECK_EQ("rumpclient_syscall(1000) returns ENOSYS (78)",
	    rumpclient_syscall(1000, NULL, 0, rv), 78);
}

static void
t_prefork_cancel(void)
{
	struct rumpclient_fork *rf;
	int before = nprocs();

	CHECK_GE("kern.proc2 lists the processes", before, 3);
	rf = rumpclient_prefork();
	CHECK_NONNULL("rumpclient_prefork", rf);
	CHECK_EQ("the prepared child is a process", nprocs(), before + 1);
	if (rf != NULL)
		rumpclient_fork_cancel(rf);
	CHECK_EQ("rumpclient_fork_cancel: it goes away", await_nprocs(before), before);
}

static void
t_vfork(const char *self)
{
	char ppid[16];
	const char *how;
	pid_t child;

	snprintf(ppid, sizeof(ppid), "%d", (int)rump_sys_getpid());
	child = rumpclient_vfork();
	if (child == 0) {
		char *const args[] = { (char *)self, "--vchild", ppid, NULL };

		rumpclient_exec(self, args, environ);
		_exit(99);
	}
	CHECK_GE("rumpclient_vfork", child, 1);
	if (child > 0)
		CHECK_EQ("the exec'd vfork child's checks pass", r_wait(child, &how), 0);
	CHECK_EQ("the parent's connection still works", rump_sys_getpid(), atoi(ppid));
}

static void
t_daemon(void)
{
	struct rump_stat sb;
	const char *how;
	char buf[32] = { 0 };
	double deadline;
	pid_t child;
	int fd;

	child = fork();
	if (child == 0) {
		/* A fresh connection: this host child is a client of its own. */
		if (rumpclient_init() != 0 || rumpclient_daemon(1, 1) != 0)
			_exit(2);
		snprintf(buf, sizeof(buf), "%d", (int)rump_sys_getpid());
		fd = rump_sys_open(DAEMON_FILE ".tmp", RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
		if (fd < 0 || rump_sys_write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf) ||
		    rump_sys_close(fd) != 0 || rump_sys_rename(DAEMON_FILE ".tmp", DAEMON_FILE) != 0)
			_exit(3);
		_exit(0);
	}
	CHECK_EQ("rumpclient_daemon: the calling process exits 0", r_wait(child, &how), 0);
	deadline = h_mono() + 5;
	while (r_stat(DAEMON_FILE, &sb) != 0 && h_mono() < deadline)
		usleep(10000);
	fd = rump_sys_open(DAEMON_FILE, RUMP_O_RDONLY);
	CHECK_GE("the daemon wrote its file", fd, 0);
	if (fd >= 0) {
		CHECK_GE("... holding its rump pid", rump_sys_read(fd, buf, sizeof(buf) - 1), 1);
		CHECK_GE("... a process >= 2", atoi(buf), 2);
		CHECK_NE("... not the test's own", atoi(buf), rump_sys_getpid());
		rump_sys_close(fd);
	}
}

static void
t_closenotify(void)
{
	pid_t pid = rump_sys_getpid();
	int fd = library_socket(), moved;

	CHECK_GE("the library's socket is above 2", fd, 3);
	moved = fd;
	CHECK_EQ("rumpclient__closenotify(CLOSE) on it", rumpclient__closenotify(&moved, RUMPCLIENT_CLOSE_CLOSE), 0);
	CHECK_EQ("closing that number", close(fd), 0);
	CHECK_GE("the library's socket lives on under another", library_socket(), 3);
	CHECK_NE("... number", library_socket(), fd);
	CHECK_EQ("the connection still works: same pid", rump_sys_getpid(), pid);
}

static void
t_close(void)
{
	pid_t pid = rump_sys_getpid();
	int e;

	CHECK_EQ("rumpclient_close", rumpclient_close(), 0);
	errno = 0;
	CHECK_EQ("a call after it fails", rump_sys_close(99), -1);
	e = errno;
	CHECK_EQ("... with ENOTCONN", e, ENOTCONN);
	CHECK_ERR("a second rumpclient_close: ENOTCONN", rumpclient_close(), ENOTCONN);
	CHECK_EQ("rumpclient_init connects again", rumpclient_init(), 0);
	CHECK_NE("... as a new process", rump_sys_getpid(), pid);
	CHECK_GE("... with a pid >= 2", rump_sys_getpid(), 2);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--vchild") == 0)
		return vchild(argv);
	h_begin("remote-clientlib");
	R_CONNECT();
	t_syscall();
	t_prefork_cancel();
	t_vfork(argv[0]);
	t_daemon();
	t_closenotify();
	t_close();
	return h_end();
}
