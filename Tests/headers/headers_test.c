/*
 * headers_test.c -- checks the public rump headers: that they compile
 * warning-free together (C99/C11, and as C++ via headers_test.cc) and
 * that constants and layouts have NetBSD's values.
 *
 * Run by check.sh, which passes -DHEADERS_HAVE_<NAME>_H=1 for each
 * optional header present in the include directory.  Output: one line
 * per check, "ok - headers: <what>" or
 * "not ok - headers: <what>: got X want Y", then "N passed, M failed".
 * An optional argument is prefixed to every <what> (build variant tag).
 * Exit status is 0 when nothing failed.
 */

/*
 * NetBSD's rump_syscalls.h prototypes name BSD types (u_int, u_long)
 * that glibc's <sys/types.h> hides under strict -std=c99/c11; a rump
 * client has to ask for them.  (check.sh separately notes whether the
 * optional headers also compile without this.)
 */
#if !defined(_DEFAULT_SOURCE) && !defined(HEADERS_STRICT_PROBE)
#define _DEFAULT_SOURCE 1
#endif

#include <sys/types.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>

/* The headers this test exists for; always present. */
#include <rump/rumpdefs.h>
#include <rump/rumperr.h>
#include <rump/rumperrno2host.h>

/* Headers written elsewhere in the tree; included when present. */
#ifdef HEADERS_HAVE_RUMP_H
#include <rump/rump.h>
#endif
#ifdef HEADERS_HAVE_RUMP_SYSCALLS_H
#include <rump/rump_syscalls.h>
#endif
#ifdef HEADERS_HAVE_RUMPKERN_IF_PUB_H
#include <rump/rumpkern_if_pub.h>
#endif

/* Including a header twice must be harmless. */
#include <rump/rumpdefs.h>
#include <rump/rumperr.h>
#include <rump/rumperrno2host.h>

static int npassed;
static int nfailed;
static const char *vtag = "";

static void
check_num(const char *what, long long got, long long want)
{
	if (got == want) {
		npassed++;
		printf("ok - headers: %s%s\n", vtag, what);
	} else {
		nfailed++;
		printf("not ok - headers: %s%s: got %lld want %lld\n",
		    vtag, what, got, want);
	}
}

static void
check_str(const char *what, const char *got, const char *want)
{
	if (got != NULL && strcmp(got, want) == 0) {
		npassed++;
		printf("ok - headers: %s%s\n", vtag, what);
	} else {
		nfailed++;
		printf("not ok - headers: %s%s: got \"%s\" want \"%s\"\n",
		    vtag, what, got != NULL ? got : "(null)", want);
	}
}

/* expr == want, both converted to long long; the text names both. */
#define CHECK(expr, want) \
	check_num(#expr " == " #want, (long long)(expr), (long long)(want))
#define CHECK_STR(expr, want) \
	check_str(#expr " is \"" want "\"", (expr), want)

static void
check_open_fcntl(void)
{
	CHECK(RUMP_O_RDONLY, 0);
	CHECK(RUMP_O_WRONLY, 1);
	CHECK(RUMP_O_RDWR, 2);
	CHECK(RUMP_O_ACCMODE, 3);
	CHECK(RUMP_O_NONBLOCK, 0x4);
	CHECK(RUMP_O_APPEND, 0x8);
	CHECK(RUMP_O_ASYNC, 0x40);
	CHECK(RUMP_O_NOFOLLOW, 0x100);
	CHECK(RUMP_O_CREAT, 0x200);
	CHECK(RUMP_O_TRUNC, 0x400);
	CHECK(RUMP_O_EXCL, 0x800);
	CHECK(RUMP_O_NOCTTY, 0x8000);
	CHECK(RUMP_O_DIRECTORY, 0x200000);
	CHECK(RUMP_O_CLOEXEC, 0x400000);
	CHECK(RUMP_O_NOSIGPIPE, 0x1000000);
	CHECK(RUMP_F_WAIT, 0x10);
	CHECK(RUMP_F_FLOCK, 0x20);
	CHECK(RUMP_F_POSIX, 0x40);
	CHECK(RUMP_F_FSCTL, (int)0x80000000);
	CHECK(RUMP_F_FSINOUT, 0x30000000);
	CHECK((unsigned int)RUMP__FCNR(3, int), 0x90040003u);
	CHECK((unsigned int)RUMP__FCNO_FSPRIV('x', 7), 0xc000f807u);
	CHECK(RUMP_F_GETFL, 3);
	CHECK(RUMP_F_GETLK, 7);
	CHECK(RUMP_F_SETLKW, 9);
	CHECK(RUMP_F_DUPFD_CLOEXEC, 12);
	CHECK(RUMP_F_SETNOSIGPIPE, 14);
	CHECK(RUMP_FD_CLOEXEC, 1);
	CHECK(RUMP_F_RDLCK, 1);
	CHECK(RUMP_F_UNLCK, 2);
	CHECK(RUMP_F_WRLCK, 3);
}

static void
check_errno(void)
{
	CHECK(RUMP_EPERM, 1);
	CHECK(RUMP_ENOENT, 2);
	CHECK(RUMP_EDEADLK, 11);
	CHECK(RUMP_EAGAIN, 35);
	CHECK(RUMP_EWOULDBLOCK, 35);
	CHECK(RUMP_EINPROGRESS, 36);
	CHECK(RUMP_EOPNOTSUPP, 45);
	CHECK(RUMP_EAFNOSUPPORT, 47);
	CHECK(RUMP_ETIMEDOUT, 60);
	CHECK(RUMP_ELOOP, 62);
	CHECK(RUMP_ENAMETOOLONG, 63);
	CHECK(RUMP_ENOTEMPTY, 66);
	CHECK(RUMP_ENOSYS, 78);
	CHECK(RUMP_EFTYPE, 79);
	CHECK(RUMP_ENOTSUP, 86);
	CHECK(RUMP_ENOATTR, 93);
	CHECK(RUMP_EPROTO, 96);
	CHECK(RUMP_ELAST, 96);
	CHECK(RUMP_EJUSTRETURN, -2);
	CHECK(RUMP_ERESTART, -3);
	CHECK(RUMP_EPASSTHROUGH, -4);
	CHECK(RUMP_EDUPFD, -5);
	CHECK(RUMP_EMOVEFD, -6);
}

static void
check_misc_kernel(void)
{
	CHECK(RUMP_VNON, 0);
	CHECK(RUMP_VREG, 1);
	CHECK(RUMP_VDIR, 2);
	CHECK(RUMP_VBAD, 8);
	CHECK(RUMP_LK_EXCLUSIVE, 2);
	CHECK(RUMP_LK_RETRY, 0x20000);
	CHECK(RUMP_RB_AUTOBOOT, 0);
	CHECK(RUMP_RB_HALT, 8);
	CHECK(RUMP_RB_NOSYNC, 4);
	CHECK(RUMP_RB_DUMP, 0x100);
	CHECK(RUMP_RB_POWERDOWN, 0x808);
	CHECK(RUMP_RB_USERCONF, 0x1000);
	CHECK(RUMP_AB_VERBOSE, 0x20000);
	CHECK(RUMP_AB_DEBUG, 0x80000);
	CHECK(RUMP_MNT_RDONLY, 1);
	CHECK(RUMP_MNT_NOEXEC, 4);
	CHECK(RUMP_MNT_LOG, 0x2000000);
	CHECK(RUMP_MNT_UPDATE, 0x10000);
	CHECK(RUMP_MNT_FORCE, 0x80000);
	CHECK(RUMP_MNT_GETARGS, 0x400000);
	CHECK(RUMP_MNT_WAIT, 1);
	CHECK(RUMP_MNT_NOWAIT, 2);
	CHECK(RUMP_MNT_LAZY, 3);
	CHECK_STR(RUMP_MOUNT_FFS, "ffs");
	CHECK_STR(RUMP_MOUNT_TMPFS, "tmpfs");
	CHECK_STR(RUMP_MOUNT_RUMPFS, "rumpfs");
	CHECK_STR(RUMP_MOUNT_CODA, "coda");
	CHECK(RUMP_KTROP_CLEARFILE, 2);
	CHECK(RUMP_KTR_NAMEI, 3);
	CHECK(RUMP_KTR_EXEC_FD, 15);
	CHECK(RUMP_KTRFAC_SYSCALL, 2);
	CHECK(RUMP_KTRFAC_EXEC_FD, 0x8000);
	CHECK(RUMP_KTRFACv2, 0x2000000);
	CHECK(RUMP_MODCTL_LOAD, 0);
	CHECK(RUMP_MODCTL_EXISTS, 3);
}

static void
check_ioctl(void)
{
	CHECK(RUMP_IOCPARM_MASK, 0x1fff);
	CHECK(RUMP_IOC_VOID, 0x20000000);
	CHECK(RUMP_IOC_OUT, 0x40000000);
	CHECK(RUMP_IOC_IN, 0x80000000);
	CHECK(RUMP_IOC_INOUT, 0xc0000000);
	CHECK(RUMP_IOC_DIRMASK, 0xe0000000);
	CHECK(_RUMP_IOW('a', 1, int), 0x80046101);
	CHECK(_RUMP_IOR('t', 3, int), 0x40047403);
	CHECK(_RUMP_IO('a', 2), 0x20006102);
	CHECK(_RUMP_IOWR('f', 5, struct rump_timespec), 0xc0106605);
	CHECK(RUMP_IOCPARM_LEN(_RUMP_IOW('a', 1, int)), 4);
	CHECK(RUMP_IOCGROUP(_RUMP_IOW('a', 1, int)), 'a');
	CHECK(RUMP_IOCBASECMD(_RUMP_IOW('a', 1, int)), 0x80006101);
}

static void
check_net(void)
{
	CHECK(RUMP_SOCK_STREAM, 1);
	CHECK(RUMP_SOCK_DGRAM, 2);
	CHECK(RUMP_SOCK_SEQPACKET, 5);
	CHECK(RUMP_SOCK_CLOEXEC, 0x10000000);
	CHECK(RUMP_SOCK_NONBLOCK, 0x20000000);
	CHECK(RUMP_AF_UNSPEC, 0);
	CHECK(RUMP_AF_LOCAL, 1);
	CHECK(RUMP_AF_UNIX, 1);
	CHECK(RUMP_AF_INET, 2);
	CHECK(RUMP_AF_LINK, 18);
	CHECK(RUMP_AF_INET6, 24);
	CHECK(RUMP_AF_ROUTE, 34);
	CHECK(RUMP_PF_INET6, 24);
	CHECK(RUMP_PF_KEY, 29);
	CHECK(RUMP_SO_REUSEADDR, 4);
	CHECK(RUMP_SO_SNDBUF, 0x1001);
	CHECK(RUMP_SO_RCVTIMEO, 0x100c);
	CHECK(RUMP_SOL_SOCKET, 0xffff);
	CHECK(RUMP_MSG_PEEK, 2);
	CHECK(RUMP_MSG_DONTWAIT, 0x80);
	CHECK(RUMP_MSG_NOSIGNAL, 0x400);
	CHECK(RUMP_MSG_CMSG_CLOEXEC, 0x800);
	CHECK(RUMP_IP_TTL, 4);
	CHECK(RUMP_IP_MULTICAST_IF, 9);
	CHECK(RUMP_IPPROTO_TCP, 6);
	CHECK(RUMP_IPPROTO_UDP, 17);
	CHECK(RUMP_IPPROTO_IPV6, 41);
	CHECK(RUMP_IPPROTO_ICMPV6, 58);
	CHECK(RUMP_IPPROTO_MAXID, 52);
	CHECK(RUMP_TCP_NODELAY, 1);
	CHECK(RUMP_TCP_KEEPINIT, 7);
	CHECK(RUMP_TCP_CONGCTL, 0x20);
	CHECK(RUMP_SHUT_RDWR, 2);
}

static void
check_additions(void)
{
	CHECK(RUMP_S_IFMT, 0170000);
	CHECK(RUMP_S_IFDIR, 0040000);
	CHECK(RUMP_S_IFREG, 0100000);
	CHECK(RUMP_S_IFLNK, 0120000);
	CHECK(RUMP_S_IFSOCK, 0140000);
	CHECK(RUMP_S_IFWHT, 0160000);
	CHECK(RUMP_S_ISUID, 04000);
	CHECK(RUMP_S_ISVTX, 01000);
	CHECK(RUMP_S_ISDIR(040755), 1);
	CHECK(RUMP_S_ISREG(040755), 0);
	CHECK(RUMP_DT_DIR, 4);
	CHECK(RUMP_DT_REG, 8);
	CHECK(RUMP_DT_LNK, 10);
	CHECK(RUMP_DT_WHT, 14);
	CHECK(RUMP_IFTODT(RUMP_S_IFLNK), RUMP_DT_LNK);
	CHECK(RUMP_SEEK_END, 2);
	CHECK(RUMP_AT_FDCWD, -100);
	CHECK(RUMP_AT_EACCESS, 0x100);
	CHECK(RUMP_AT_SYMLINK_NOFOLLOW, 0x200);
	CHECK(RUMP_AT_SYMLINK_FOLLOW, 0x400);
	CHECK(RUMP_AT_REMOVEDIR, 0x800);
	CHECK(RUMP_R_OK, 4);
	CHECK(RUMP_POLLIN, 1);
	CHECK(RUMP_POLLOUT, 4);
	CHECK(RUMP_POLLNVAL, 0x20);
	CHECK(RUMP_POLLRDNORM, 0x40);
	CHECK(RUMP_POLLWRNORM, 4);
	CHECK(RUMP_POLLWRBAND, 0x100);
	CHECK(RUMP_CLOCK_MONOTONIC, 3);
	CHECK(RUMP_CLOCK_THREAD_CPUTIME_ID, 0x20000000);
	CHECK(RUMP_CLOCK_PROCESS_CPUTIME_ID, 0x40000000);
	CHECK(RUMP_RLIMIT_NOFILE, 8);
	CHECK(RUMP_RLIMIT_AS, 10);
	CHECK(RUMP_RLIMIT_NTHR, 11);
	CHECK(RUMP_RLIM_INFINITY, 0x7fffffffffffffffLL);
	CHECK(RUMP_CTL_KERN, 1);
	CHECK(RUMP_CTL_HW, 6);
	CHECK(RUMP_CTL_SECURITY, 13);
	CHECK(RUMP_KERN_OSTYPE, 1);
	CHECK(RUMP_KERN_HOSTNAME, 10);
	CHECK(RUMP_KERN_OBOOTTIME, 21);
	CHECK(RUMP_KERN_DOMAINNAME, 22);
	CHECK(RUMP_KERN_MAXPARTITIONS, 23);
	CHECK(RUMP_KERN_IOV_MAX, 38);
	CHECK(RUMP_KERN_BOOTTIME, 83);
	CHECK(RUMP_HW_NCPU, 3);
	CHECK(RUMP_HW_PAGESIZE, 7);
	CHECK(RUMP_HW_MACHINE_ARCH, 10);
	CHECK(RUMP_MAXPATHLEN, 1024);
	CHECK(RUMP_MAXNAMLEN, 511);
	CHECK(RUMP_MAXHOSTNAMELEN, 256);
	CHECK(RUMP_PIPE_BUF, 512);
	CHECK(RUMP_IOV_MAX, 1024);
	CHECK(RUMP_SIGHUP, 1);
	CHECK(RUMP_SIGKILL, 9);
	CHECK(RUMP_SIGBUS, 10);
	CHECK(RUMP_SIGPIPE, 13);
	CHECK(RUMP_SIGSTOP, 17);
	CHECK(RUMP_SIGCHLD, 20);
	CHECK(RUMP_SIGUSR1, 30);
	CHECK(RUMP_SIGUSR2, 31);
	CHECK(RUMP_SIG_BLOCK, 1);
	CHECK(RUMP_SIG_SETMASK, 3);
}

static void
check_layouts(void)
{
	struct rump_timeval tv = { 5, 6 };	/* must compile warning-free */
	struct rump_stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = RUMP_S_IFDIR | 0755;

	CHECK(sizeof(struct rump_dirent), 528);
	CHECK(offsetof(struct rump_dirent, d_reclen), 8);
	CHECK(offsetof(struct rump_dirent, d_namlen), 10);
	CHECK(offsetof(struct rump_dirent, d_type), 12);
	CHECK(offsetof(struct rump_dirent, d_name), 13);
	CHECK(sizeof(((struct rump_dirent *)NULL)->d_name), 512);
	CHECK(sizeof(struct rump_pollfd), 8);
	CHECK(offsetof(struct rump_pollfd, revents), 6);
	CHECK(sizeof(struct rump_rlimit), 16);
	CHECK(sizeof(struct rump_timezone), 8);
	CHECK(tv.tv_sec + tv.tv_usec, 11);
#if defined(__LP64__) || defined(_LP64)
	CHECK(sizeof(struct rump_timespec), 16);
	CHECK(offsetof(struct rump_timespec, tv_nsec), 8);
	CHECK(sizeof(struct rump_timeval), 16);
	CHECK(offsetof(struct rump_timeval, tv_usec), 8);
	CHECK(sizeof(struct rump_iovec), 16);
	CHECK(offsetof(struct rump_iovec, iov_len), 8);
	CHECK(sizeof(struct rump_modctl_load), 32);
	CHECK(offsetof(struct rump_modctl_load, ml_propslen), 24);
	CHECK(sizeof(struct rump_stat), 152);
	CHECK(offsetof(struct rump_stat, st_dev), 0);
	CHECK(offsetof(struct rump_stat, st_mode), 8);
	CHECK(offsetof(struct rump_stat, st_ino), 16);
	CHECK(offsetof(struct rump_stat, st_nlink), 24);
	CHECK(offsetof(struct rump_stat, st_uid), 28);
	CHECK(offsetof(struct rump_stat, st_gid), 32);
	CHECK(offsetof(struct rump_stat, st_rdev), 40);
	CHECK(offsetof(struct rump_stat, st_atim), 48);
	CHECK(offsetof(struct rump_stat, st_mtim), 64);
	CHECK(offsetof(struct rump_stat, st_ctim), 80);
	CHECK(offsetof(struct rump_stat, st_birthtim), 96);
	CHECK(offsetof(struct rump_stat, st_size), 112);
	CHECK(offsetof(struct rump_stat, st_blocks), 120);
	CHECK(offsetof(struct rump_stat, st_blksize), 128);
	CHECK(offsetof(struct rump_stat, st_flags), 132);
	CHECK(offsetof(struct rump_stat, st_gen), 136);
	CHECK(offsetof(struct rump_stat, st_spare), 140);
	/* mode as the kernel writes it: 4 bytes at offset 8 */
	{
		uint32_t stat_u32_at_offset_8;

		memcpy(&stat_u32_at_offset_8, (const unsigned char *)&st + 8,
		    sizeof(stat_u32_at_offset_8));
		CHECK(stat_u32_at_offset_8, 040755);
	}
#else
	printf("# %snot an LP64 build: amd64 layout checks skipped\n", vtag);
#endif
}

static void
check_strerror(void)
{
	int e, errnos_without_message;

	CHECK_STR(rump_strerror(0), "No error: zero, zip, zilch, none!");
	CHECK_STR(rump_strerror(RUMP_EPERM), "Operation not permitted");
	CHECK_STR(rump_strerror(RUMP_ENOENT), "No such file or directory");
	CHECK_STR(rump_strerror(RUMP_EDEADLK), "Resource deadlock avoided");
	CHECK_STR(rump_strerror(RUMP_ERANGE),
	    "Result too large or too small");
	CHECK_STR(rump_strerror(RUMP_EAGAIN),
	    "Resource temporarily unavailable");
	CHECK_STR(rump_strerror(RUMP_ETIMEDOUT), "Operation timed out");
	CHECK_STR(rump_strerror(RUMP_ENOTEMPTY), "Directory not empty");
	CHECK_STR(rump_strerror(RUMP_ENOSYS), "Function not implemented");
	CHECK_STR(rump_strerror(RUMP_EPROTO), "Protocol error");
	CHECK_STR(rump_strerror(97), "Invalid error!");
	CHECK_STR(rump_strerror(-1), "Invalid error!");
	CHECK_STR(rump_strerror(RUMP_EJUSTRETURN), "Invalid error!");
	CHECK_STR(rump_strerror(9999), "Invalid error!");

	errnos_without_message = 0;
	for (e = 1; e <= RUMP_ELAST; e++)
		if (strcmp(rump_strerror(e), "Invalid error!") == 0)
			errnos_without_message++;
	CHECK(errnos_without_message, 0);
}

static void
check_errno2host(void)
{
	int e, errnos_mapped_nonpositive;

	CHECK(rump_errno2host(0), 0);
	CHECK(rump_errno2host(RUMP_EPERM), EPERM);
	CHECK(rump_errno2host(RUMP_ENOENT), ENOENT);
	CHECK(rump_errno2host(RUMP_EDEADLK), EDEADLK);
	CHECK(rump_errno2host(RUMP_EAGAIN), EAGAIN);
	CHECK(rump_errno2host(RUMP_EWOULDBLOCK), EWOULDBLOCK);
	CHECK(rump_errno2host(RUMP_ENOSYS), ENOSYS);
	CHECK(rump_errno2host(RUMP_ENOTEMPTY), ENOTEMPTY);
	CHECK(rump_errno2host(RUMP_EOPNOTSUPP), EOPNOTSUPP);
	CHECK(rump_errno2host(RUMP_ETIMEDOUT), ETIMEDOUT);
	CHECK(rump_errno2host(RUMP_EPROTO), EPROTO);
	CHECK(rump_errno2host(12345), EINVAL);
	CHECK(rump_errno2host(-1), EINVAL);
	CHECK(rump_errno2host(RUMP_ELAST + 1), EINVAL);
#ifndef EFTYPE
	CHECK(rump_errno2host(RUMP_EFTYPE), EINVAL);	/* no host EFTYPE */
#endif
#ifndef EPROCLIM
	CHECK(rump_errno2host(RUMP_EPROCLIM), EINVAL);	/* no host EPROCLIM */
#endif
#ifdef __linux__
	/* concrete Linux numbers */
	CHECK(rump_errno2host(RUMP_EAGAIN), 11);
	CHECK(rump_errno2host(RUMP_EDEADLK), 35);
	CHECK(rump_errno2host(RUMP_ENOSYS), 38);
	CHECK(rump_errno2host(RUMP_ENOTEMPTY), 39);
	CHECK(rump_errno2host(RUMP_EOPNOTSUPP), 95);
	CHECK(rump_errno2host(RUMP_ENAMETOOLONG), 36);
#endif
	errnos_mapped_nonpositive = 0;
	for (e = 1; e <= RUMP_ELAST; e++)
		if (rump_errno2host(e) <= 0)
			errnos_mapped_nonpositive++;
	CHECK(errnos_mapped_nonpositive, 0);
}

static void
note_optional_headers(void)
{
#ifdef HEADERS_HAVE_RUMP_H
	printf("# %srump/rump.h included\n", vtag);
#else
	printf("# %srump/rump.h not present, not included\n", vtag);
#endif
#ifdef HEADERS_HAVE_RUMP_SYSCALLS_H
	printf("# %srump/rump_syscalls.h included\n", vtag);
#else
	printf("# %srump/rump_syscalls.h not present, not included\n", vtag);
#endif
#ifdef HEADERS_HAVE_RUMPKERN_IF_PUB_H
	printf("# %srump/rumpkern_if_pub.h included\n", vtag);
#else
	printf("# %srump/rumpkern_if_pub.h not present, not included\n",
	    vtag);
#endif
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		vtag = argv[1];

	note_optional_headers();
	check_open_fcntl();
	check_errno();
	check_misc_kernel();
	check_ioctl();
	check_net();
	check_additions();
	check_layouts();
	check_strerror();
	check_errno2host();
#ifdef HEADERS_TEST_EXTRA
	HEADERS_TEST_EXTRA();
#endif

	printf("%d passed, %d failed\n", npassed, nfailed);
	return nfailed == 0 ? 0 : 1;
}
