/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 21_vfs_perm: permissions against the caller's credentials.  A process
 * made with rfork whose uid/gid were dropped to 1000/1000 must not read,
 * write, list, search, create in or remove from what the mode bits forbid
 * (EACCES 13); sticky /tmp (01777) lets only the owner remove (EPERM 1);
 * chown by non-root EPERM; chmod by a non-owner EPERM; umask (default 022)
 * applies to creation; access() uses the real ids.  Root passes.
 */
#include "../harness.h"

static int
st(const char *p, struct rump_stat *sb)
{
	return rump_sys_stat(p, (struct stat *)(void *)sb);
}

static int
put(const char *p, const char *data, int mode)
{
	int fd = rump_sys_open(p, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC, mode);
	if (fd < 0)
		return -1;
	rump_sys_write(fd, data, strlen(data));
	return rump_sys_close(fd);
}

static void
become(uid_t uid, gid_t gid)
{
	rump_pub_lwproc_rfork(RUMP_RFCFDG);
	rump_sys_setgid(gid);
	rump_sys_setuid(uid);
}

int
main(void)
{
	struct rump_stat sb;
	char buf[64];
	int fd;
	struct rump_timeval tv[2];

	h_begin("21_vfs_perm");
	H_BOOT();

	/* root sets up */
	CHECK_EQ("umask(027) returns the default 022", rump_sys_umask(027), 022);
	CHECK_EQ("umask(022) returns 027", rump_sys_umask(022), 027);
	CHECK_EQ("mkdir /p 0755", rump_sys_mkdir("/p", 0777), 0);
	CHECK_EQ("stat /p", st("/p", &sb), 0);
	CHECK_EQ("umask 022 makes it 0755", sb.st_mode & 07777, 0755);
	CHECK_EQ("owner uid 0", sb.st_uid, 0);
	CHECK_EQ("put /p/secret 0600", put("/p/secret", "s3cret", 0600), 0);
	CHECK_EQ("put /p/public 0644", put("/p/public", "hello", 0644), 0);
	CHECK_EQ("put /p/groupw 0664", put("/p/groupw", "g", 0664), 0);
	CHECK_EQ("chmod /p/groupw 0664 (past the umask)", rump_sys_chmod("/p/groupw", 0664), 0);
	CHECK_EQ("chown /p/groupw to 0:1000", rump_sys_chown("/p/groupw", -1, 1000), 0);
	CHECK_EQ("mkdir /p/closed 0700", rump_sys_mkdir("/p/closed", 0700), 0);
	CHECK_EQ("put /p/closed/f", put("/p/closed/f", "x", 0666), 0);
	CHECK_EQ("mkdir /p/noread 0711", rump_sys_mkdir("/p/noread", 0711), 0);
	CHECK_EQ("put /p/noread/f 0644", put("/p/noread/f", "nr", 0644), 0);
	CHECK_EQ("mkdir /home 0755", rump_sys_mkdir("/home", 0755), 0);
	CHECK_EQ("mkdir /home/u", rump_sys_mkdir("/home/u", 0755), 0);
	CHECK_EQ("chown /home/u 1000:1000", rump_sys_chown("/home/u", 1000, 1000), 0);
	CHECK_EQ("put /tmp/rootfile 0666", put("/tmp/rootfile", "r", 0666), 0);
	CHECK_EQ("chmod /tmp/rootfile 0666", rump_sys_chmod("/tmp/rootfile", 0666), 0);
	CHECK_EQ("root opens a 0000 file", put("/p/zero", "", 0), 0);
	CHECK_EQ("chmod /p/zero 0", rump_sys_chmod("/p/zero", 0), 0);
	fd = rump_sys_open("/p/zero", RUMP_O_RDWR);
	CHECK_GE("root may open a mode-0 file read/write", fd, 0);
	rump_sys_close(fd);
	CHECK_EQ("root access(X_OK) on a file without x bits fails",
	    rump_sys_access("/p/zero", 1) == -1 && errno == RUMP_EACCES, 1);

	/* a non-root process */
	become(1000, 1000);
	CHECK_EQ("getuid 1000", rump_sys_getuid(), 1000);
	CHECK_ERR("open 0600 root file for reading: EACCES",
	    rump_sys_open("/p/secret", RUMP_O_RDONLY), RUMP_EACCES);
	fd = rump_sys_open("/p/public", RUMP_O_RDONLY);
	CHECK_GE("open 0644 root file for reading", fd, 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("... read 5 bytes", rump_sys_read(fd, buf, sizeof(buf)), 5);
	rump_sys_close(fd);
	CHECK_ERR("open 0644 root file for writing: EACCES",
	    rump_sys_open("/p/public", RUMP_O_WRONLY), RUMP_EACCES);
	CHECK_ERR("O_TRUNC needs write permission: EACCES",
	    rump_sys_open("/p/public", RUMP_O_RDONLY | RUMP_O_TRUNC), RUMP_EACCES);
	fd = rump_sys_open("/p/groupw", RUMP_O_WRONLY);
	CHECK_GE("group-writable file (gid 1000) opens for writing", fd, 0);
	rump_sys_close(fd);
	CHECK_ERR("create in a 0755 root dir: EACCES",
	    rump_sys_open("/p/new", RUMP_O_WRONLY | RUMP_O_CREAT, 0644), RUMP_EACCES);
	CHECK_ERR("mkdir in a 0755 root dir: EACCES", rump_sys_mkdir("/p/d", 0755), RUMP_EACCES);
	CHECK_ERR("unlink in a 0755 root dir: EACCES", rump_sys_unlink("/p/public"), RUMP_EACCES);
	CHECK_ERR("rename in a 0755 root dir: EACCES",
	    rump_sys_rename("/p/public", "/p/public2"), RUMP_EACCES);
	CHECK_ERR("search a 0700 dir: EACCES", st("/p/closed/f", &sb), RUMP_EACCES);
	CHECK_ERR("list a 0700 dir: EACCES",
	    rump_sys_open("/p/closed", RUMP_O_RDONLY), RUMP_EACCES);
	CHECK_ERR("chdir into a 0700 dir: EACCES", rump_sys_chdir("/p/closed"), RUMP_EACCES);
	CHECK_EQ("stat through a 0711 dir", st("/p/noread/f", &sb), 0);
	CHECK_ERR("list a 0711 dir: EACCES",
	    rump_sys_open("/p/noread", RUMP_O_RDONLY), RUMP_EACCES);
	CHECK_ERR("chmod of a root file: EPERM", rump_sys_chmod("/p/public", 0777), RUMP_EPERM);
	CHECK_ERR("chown of a root file: EPERM", rump_sys_chown("/p/public", 1000, 1000), RUMP_EPERM);
	CHECK_ERR("utimes(explicit) of a root file: EPERM",
	    rump_sys_utimes("/p/public", (void *)tv), RUMP_EPERM);
	CHECK_ERR("access(W_OK) on a 0644 root file: EACCES",
	    rump_sys_access("/p/public", 2), RUMP_EACCES);
	CHECK_EQ("access(R_OK) on a 0644 root file", rump_sys_access("/p/public", 4), 0);
	CHECK_EQ("access(F_OK) on a 0600 root file", rump_sys_access("/p/secret", 0), 0);
	CHECK_ERR("access with mode 8: EINVAL", rump_sys_access("/p/public", 8), RUMP_EINVAL);
	CHECK_ERR("mknod of a device: EPERM",
	    rump_sys_mknod("/home/u/dev", RUMP_S_IFCHR | 0600, 0x202), RUMP_EPERM);
	CHECK_ERR("chroot: EPERM", rump_sys_chroot("/home/u"), RUMP_EPERM);
	CHECK_ERR("mount: EPERM", rump_sys_mount("tmpfs", "/home/u", 0, NULL, 0), RUMP_EPERM);

	/* its own home */
	CHECK_EQ("create in its own dir", put("/home/u/mine", "m", 0640), 0);
	CHECK_EQ("stat it", st("/home/u/mine", &sb), 0);
	CHECK_EQ("owned by uid 1000", sb.st_uid, 1000);
	CHECK_EQ("group is the directory's (1000)", sb.st_gid, 1000);
	CHECK_EQ("mode 0640 (umask 022)", sb.st_mode & 07777, 0640);
	CHECK_EQ("chmod its own file 0600", rump_sys_chmod("/home/u/mine", 0600), 0);
	CHECK_ERR("chown its own file to uid 0: EPERM",
	    rump_sys_chown("/home/u/mine", 0, -1), RUMP_EPERM);
	CHECK_ERR("chown its own file to a group it is not in: EPERM",
	    rump_sys_chown("/home/u/mine", -1, 5), RUMP_EPERM);
	CHECK_EQ("chown to its own ids is allowed", rump_sys_chown("/home/u/mine", 1000, 1000), 0);
	CHECK_EQ("utimes(NULL) on its own file", rump_sys_utimes("/home/u/mine", NULL), 0);
	CHECK_EQ("chmod 0 its own file", rump_sys_chmod("/home/u/mine", 0), 0);
	CHECK_ERR("then even the owner cannot read it: EACCES",
	    rump_sys_open("/home/u/mine", RUMP_O_RDONLY), RUMP_EACCES);
	CHECK_ERR("sticky bit on a file by non-root: EFTYPE (79)",
	    rump_sys_chmod("/home/u/mine", 01600), 79);

	/* sticky /tmp */
	CHECK_EQ("create /tmp/u1", put("/tmp/u1", "u", 0644), 0);
	CHECK_ERR("remove root's file from sticky /tmp: EPERM",
	    rump_sys_unlink("/tmp/rootfile"), RUMP_EPERM);
	CHECK_ERR("rename root's file in sticky /tmp: EPERM",
	    rump_sys_rename("/tmp/rootfile", "/tmp/x"), RUMP_EPERM);
	fd = rump_sys_open("/tmp/rootfile", RUMP_O_WRONLY);
	CHECK_GE("but may write the 0666 file", fd, 0);
	rump_sys_close(fd);
	CHECK_EQ("remove its own file from /tmp", rump_sys_unlink("/tmp/u1"), 0);
	rump_pub_lwproc_releaselwp();

	/* back as root */
	CHECK_EQ("root removes anything from /tmp", rump_sys_unlink("/tmp/rootfile"), 0);
	CHECK_EQ("root reads a 0000 file", rump_sys_open("/home/u/mine", RUMP_O_RDONLY) >= 0, 1);
	CHECK_EQ("chmod 04755 by root keeps set-id bits", rump_sys_chmod("/p/public", 04755), 0);
	CHECK_EQ("stat", st("/p/public", &sb), 0);
	CHECK_EQ("mode 0104755", sb.st_mode, 0104755);
	CHECK_EQ("lchmod of a symlink", (rump_sys_symlink("public", "/p/ln"), rump_sys_lchmod("/p/ln", 0700)), 0);
	CHECK_EQ("fchmod", (fd = rump_sys_open("/p/public", RUMP_O_RDONLY), rump_sys_fchmod(fd, 0640)), 0);
	CHECK_EQ("fchown", rump_sys_fchown(fd, 7, 8), 0);
	CHECK_EQ("fstat", rump_sys_fstat(fd, (void *)&sb), 0);
	CHECK_EQ("uid 7", sb.st_uid, 7);
	CHECK_EQ("gid 8", sb.st_gid, 8);
	CHECK_EQ("mode 0100640", sb.st_mode, 0100640);
	tv[0].tv_sec = 1000000000; tv[0].tv_usec = 5;
	tv[1].tv_sec = 1234567890; tv[1].tv_usec = 7;
	CHECK_EQ("futimes", rump_sys_futimes(fd, (void *)tv), 0);
	rump_sys_fstat(fd, (void *)&sb);
	CHECK_EQ("atime 1000000000 s", sb.st_atim.tv_sec, 1000000000);
	CHECK_EQ("atime 5000 ns", sb.st_atim.tv_nsec, 5000);
	CHECK_EQ("mtime 1234567890 s", sb.st_mtim.tv_sec, 1234567890);
	{
		struct rump_timespec ts[2];
		ts[0].tv_sec = 5; ts[0].tv_nsec = RUMP_UTIME_OMIT;
		ts[1].tv_sec = 42; ts[1].tv_nsec = 9;
		CHECK_EQ("utimensat with UTIME_OMIT for atime",
		    rump_sys_utimensat(RUMP_AT_FDCWD, "/p/public", (void *)ts, 0), 0);
		rump_sys_fstat(fd, (void *)&sb);
		CHECK_EQ("atime unchanged", sb.st_atim.tv_sec, 1000000000);
		CHECK_EQ("mtime 42 s", sb.st_mtim.tv_sec, 42);
		CHECK_EQ("mtime 9 ns", sb.st_mtim.tv_nsec, 9);
		ts[0].tv_nsec = 2000000000;
		CHECK_ERR("futimens with tv_nsec 2e9: EINVAL", rump_sys_futimens(fd, (void *)ts), RUMP_EINVAL);
	}
	rump_sys_close(fd);
	CHECK_EQ("fchownat(AT_SYMLINK_NOFOLLOW)",
	    rump_sys_fchownat(RUMP_AT_FDCWD, "/p/ln", 3, 4, RUMP_AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ("lstat", rump_sys_lstat("/p/ln", (void *)&sb), 0);
	CHECK_EQ("the link itself is 3:4", sb.st_uid * 100 + sb.st_gid, 304);
	CHECK_EQ("fchmodat", rump_sys_fchmodat(RUMP_AT_FDCWD, "/p/public", 0600, 0), 0);
	CHECK_EQ("faccessat(R_OK)", rump_sys_faccessat(RUMP_AT_FDCWD, "/p/public", 4, 0), 0);
	CHECK_EQ("mkfifo /p/fifo", rump_sys_mkfifo("/p/fifo", 0644), 0);
	CHECK_EQ("stat the fifo", st("/p/fifo", &sb), 0);
	CHECK_EQ("S_IFIFO|0644", sb.st_mode, 010644);
	CHECK_EQ("mknod a character device as root",
	    rump_sys_mknod("/p/null2", RUMP_S_IFCHR | 0666, 0x202), 0);
	fd = rump_sys_open("/p/null2", RUMP_O_WRONLY);
	CHECK_EQ("it is /dev/null: write 3", rump_sys_write(fd, "abc", 3), 3);
	rump_sys_close(fd);
	CHECK_ERR("mknod with a bad type: EINVAL", rump_sys_mknod("/p/bad", 0644, 0), RUMP_EINVAL);
	return h_end();
}
